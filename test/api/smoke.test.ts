import { useServer } from '../support/server';

const server = useServer({ seedOnStart: true });

it('serves the seeded article over HTTP', async () => {
  const res = await server.gql(`{ actors(search: "north korea") { totalCount edges { node { name countryCode } } } }`);
  expect(res.status).toBe(200);
  expect(res.data.actors.edges.map((e: any) => e.node.countryCode)).toContain('PRK');
});
