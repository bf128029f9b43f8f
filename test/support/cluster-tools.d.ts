export const BIN: string;
export function clusterToolsMissing(): string | undefined;
