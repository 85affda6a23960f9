// The built-in vendor definitions: one JSON file per vendor, imported so that the build carries them.
// A new vendor is one file here and one line below (and a recording that proves it).
import apc from './apc.json' with { type: 'json' };
import aruba from './aruba.json' with { type: 'json' };
import brother from './brother.json' with { type: 'json' };
import canon from './canon.json' with { type: 'json' };
import cisco from './cisco.json' with { type: 'json' };
import dell from './dell.json' with { type: 'json' };
import dlink from './dlink.json' with { type: 'json' };
import eaton from './eaton.json' with { type: 'json' };
import epson from './epson.json' with { type: 'json' };
import fortinet from './fortinet.json' with { type: 'json' };
import hp from './hp.json' with { type: 'json' };
import hpe from './hpe.json' with { type: 'json' };
import huawei from './huawei.json' with { type: 'json' };
import juniper from './juniper.json' with { type: 'json' };
import konica_minolta from './konica-minolta.json' with { type: 'json' };
import kyocera from './kyocera.json' with { type: 'json' };
import lexmark from './lexmark.json' with { type: 'json' };
import microsoft from './microsoft.json' with { type: 'json' };
import mikrotik from './mikrotik.json' with { type: 'json' };
import net_snmp from './net-snmp.json' with { type: 'json' };
import netgear from './netgear.json' with { type: 'json' };
import paloalto from './paloalto.json' with { type: 'json' };
import pfsense from './pfsense.json' with { type: 'json' };
import qnap from './qnap.json' with { type: 'json' };
import ricoh from './ricoh.json' with { type: 'json' };
import sharp from './sharp.json' with { type: 'json' };
import sonicwall from './sonicwall.json' with { type: 'json' };
import synology from './synology.json' with { type: 'json' };
import tplink from './tplink.json' with { type: 'json' };
import ubiquiti from './ubiquiti.json' with { type: 'json' };
import vmware from './vmware.json' with { type: 'json' };
import xerox from './xerox.json' with { type: 'json' };
import zyxel from './zyxel.json' with { type: 'json' };

/** File name -> its raw content; the tests validate it against the schema (see parse-definitions.ts). */
export const BUILT_IN_DEFINITION_FILES: Record<string, unknown> = {
  'apc.json': apc,
  'aruba.json': aruba,
  'brother.json': brother,
  'canon.json': canon,
  'cisco.json': cisco,
  'dell.json': dell,
  'dlink.json': dlink,
  'eaton.json': eaton,
  'epson.json': epson,
  'fortinet.json': fortinet,
  'hp.json': hp,
  'hpe.json': hpe,
  'huawei.json': huawei,
  'juniper.json': juniper,
  'konica-minolta.json': konica_minolta,
  'kyocera.json': kyocera,
  'lexmark.json': lexmark,
  'microsoft.json': microsoft,
  'mikrotik.json': mikrotik,
  'net-snmp.json': net_snmp,
  'netgear.json': netgear,
  'paloalto.json': paloalto,
  'pfsense.json': pfsense,
  'qnap.json': qnap,
  'ricoh.json': ricoh,
  'sharp.json': sharp,
  'sonicwall.json': sonicwall,
  'synology.json': synology,
  'tplink.json': tplink,
  'ubiquiti.json': ubiquiti,
  'vmware.json': vmware,
  'xerox.json': xerox,
  'zyxel.json': zyxel,
};
