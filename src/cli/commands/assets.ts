import { DEVICE_TYPES, UsageError } from '../../model/index.js';
import { assetStatus } from '../../export/asset-rows.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { renderTable } from '../render-table.js';
import { resolveSnapshot } from '../snapshot-ref.js';

export interface AssetsFlags extends GlobalOptions {
  type?: string;
  vendor?: string;
  search?: string;
}

export async function assetsCommand(ref: string, flags: AssetsFlags, output: Output): Promise<number> {
  if (flags.type && !(DEVICE_TYPES as readonly string[]).includes(flags.type.toLowerCase())) {
    throw new UsageError(`--type "${flags.type}" is not a device type; use one of ${DEVICE_TYPES.join(', ')}`);
  }
  const store = openExistingStore(flags);
  try {
    const snapshot = await resolveSnapshot(store, ref);
    const entries = await store.inventoryAsOf(
      snapshot.id,
      {
        ...(flags.type ? { type: flags.type } : {}),
        ...(flags.vendor ? { vendor: flags.vendor } : {}),
        ...(flags.search ? { search: flags.search } : {}),
      },
      // --json also says where each device plugs in (switch, port, VLAN), when a scan found it.
      flags.json ? { withFacts: true, factKeys: ['attachment'] } : {},
    );
    if (flags.json) {
      const assets = entries.map(({ facts, ...e }) => ({ ...e, status: assetStatus(e), ...(facts?.attachment ? { attachment: facts.attachment } : {}) }));
      output.out(JSON.stringify({ snapshotId: snapshot.id, assets }, null, 2) + '\n');
      return EXIT.ok;
    }
    output.out(
      renderTable(
        entries,
        [
          { header: 'ID', value: (e) => e.assetId, right: true },
          { header: 'ADDRESS', value: (e) => e.address },
          { header: 'HOSTNAME', value: (e) => e.hostname },
          { header: 'TYPE', value: (e) => e.type },
          { header: 'VENDOR', value: (e) => e.vendor },
          { header: 'MODEL', value: (e) => e.model },
          { header: 'SERIAL', value: (e) => e.serial },
          { header: 'MAC', value: (e) => e.macs[0] ?? '' },
          { header: 'PORTS', value: (e) => e.openPorts.join(',') },
          { header: 'STATUS', value: (e) => assetStatus(e) },
        ],
        output,
      ),
    );
    if (output.stdoutIsTTY) {
      const missing = entries.filter((e) => !e.seen).length;
      output.err(output.style('dim', `${entries.length} assets as of snapshot ${snapshot.id} (${snapshot.startedAt}); ${missing} missing\n`));
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
