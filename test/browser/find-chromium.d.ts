export const CANDIDATES: string[];
export const chromiumPath: string | undefined;
