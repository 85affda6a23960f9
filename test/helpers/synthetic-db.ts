// The benchmark's synthetic-inventory generator (bench/generate-synthetic-db.mjs), typed, for tests
// that want a small inventory with realistic churn.
export interface SyntheticDbOptions {
  path: string;
  assets: number;
  snapshots: number;
  seed: number;
}

export async function generateSyntheticDb(options: SyntheticDbOptions): Promise<void> {
  const generator = '../../bench/generate-synthetic-db.mjs';
  const module = (await import(generator)) as { generateSyntheticDb: (o: SyntheticDbOptions) => Promise<void> };
  await module.generateSyntheticDb(options);
}
