// Two actors created at once with the same alias: one wins, the other is bad input
// on the alias field (the unique index decides the race), never an internal error.
import { useServer } from '../support/server';

const server = useServer({ seedOnStart: false });

it('concurrent creations with one alias: one actor gets it, the others BAD_USER_INPUT', async () => {
  for (let round = 0; round < 5; round += 1) {
    const alias = `Shared alias ${round}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        server.gql('mutation ($input: CreateActorInput!) { createActor(input: $input) { id } }', {
          input: { name: `Racer ${round}-${i}`, kind: 'ORGANIZATION', aliases: [alias] },
        }),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) {
      expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.aliases' });
    }
  }
});
