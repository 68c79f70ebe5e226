// `npm run bench [-- <name>…]`: Kiln's performance figures, each a ratio against a baseline measured in the same run.
import { benchBuildOverhead } from './build-overhead';
import { benchDevserver } from './devserver';
import { benchDevserverGrowth } from './devserver-growth';
import { benchPipeline } from './pipeline';
import { benchWebhooks } from './webhooks';

const benches: Record<string, () => Promise<void>> = {
  devserver: async () => {
    await benchDevserver();
    await benchDevserverGrowth();
  },
  webhooks: benchWebhooks,
  'build-overhead': benchBuildOverhead,
  pipeline: benchPipeline,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  process.stderr.write(`Unknown bench ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}.\n`);
  process.exit(2);
}
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stdout.write(`\n== ${name} ==\n`);
  await run();
}
process.exit(0);
