// Classification rules as data: what indirect evidence (open ports, HTTP banners, mDNS services,
// SSDP descriptions, NetBIOS names, the MAC's maker, nmap's -sV answers) says about a device's type
// and OS. A rule holds when all its conditions hold; its confidence is how often that evidence alone
// is right in an office network (a judgement, kept modest). Several rules naming the same value
// combine (1 - (1-a)(1-b)); identify sets a field from them only when nothing read directly (SNMP,
// local probes) gave it, and only at CONFIDENCE_THRESHOLD or above.
//
// Patterns are case-insensitive regular expressions. Order matters only for ties.
import type { DeviceType } from '../model/index.js';

export interface ClassifyCondition {
  /** All of these TCP ports open. */
  ports?: number[];
  /** At least one of these open. */
  anyPort?: number[];
  /** None of these open. */
  noPort?: number[];
  httpTitle?: string;
  httpServer?: string;
  /** A DNS-SD service type the host announces ("_ipp._tcp.local"). */
  mdnsService?: string;
  /** SSDP/UPnP: server header, deviceType, friendlyName, manufacturer or modelName. */
  ssdp?: string;
  /** The host answered NetBIOS node status. */
  netbios?: boolean;
  /** The MAC's OUI vendor. */
  macVendor?: string;
  /** nmap -sV: "name product" of an open port. */
  nmapService?: string;
}

export type ClassifyRule = { id: string; confidence: number; when: ClassifyCondition } & (
  | { field: 'type'; value: DeviceType }
  | { field: 'os'; value: string }
);

export const CONFIDENCE_THRESHOLD = 0.5;

const PRINTER_BRANDS = 'laserjet|officejet|deskjet|designjet|imagerunner|imageclass|bizhub|workcentre|versalink|altalink|ecosys|taskalfa|phaser|brother|epson|lexmark|kyocera|xerox|ricoh|aficio|konica|sharp mx|oki|pixma|printer';
const CAMERA_BRANDS = 'axis|hikvision|dahua|mobotix|vivotek|hanwha|wisenet|ipcam|ip camera|network camera|webcam|nvr|dvr|amcrest|reolink|foscam';
const PHONE_BRANDS = 'polycom|poly |yealink|snom|grandstream|avaya|mitel|gigaset|fanvil|cisco ip phone';

export const CLASSIFY_RULES: readonly ClassifyRule[] = [
  // Printers
  { id: 'printer-raw-and-lpd-or-ipp', field: 'type', value: 'printer', confidence: 0.85, when: { ports: [9100], anyPort: [515, 631] } },
  { id: 'printer-raw-port', field: 'type', value: 'printer', confidence: 0.55, when: { ports: [9100], noPort: [22, 135, 3389, 515, 631] } },
  { id: 'printer-lpd', field: 'type', value: 'printer', confidence: 0.55, when: { ports: [515], noPort: [22, 135, 3389] } },
  { id: 'printer-http-title', field: 'type', value: 'printer', confidence: 0.8, when: { httpTitle: PRINTER_BRANDS } },
  { id: 'printer-http-server', field: 'type', value: 'printer', confidence: 0.7, when: { httpServer: 'jetdirect|hp-chaisoe|virata-emweb|kyocera|lexmark|xerox|ricoh|canon http|brother|epson_linux|debut' } },
  { id: 'printer-mdns', field: 'type', value: 'printer', confidence: 0.9, when: { mdnsService: '^_(ipp|ipps|printer|pdl-datastream)\\._tcp' } },
  { id: 'printer-ssdp', field: 'type', value: 'printer', confidence: 0.9, when: { ssdp: 'device:printer|' + PRINTER_BRANDS } },
  { id: 'printer-oui', field: 'type', value: 'printer', confidence: 0.5, when: { macVendor: 'brother|lexmark|kyocera|xerox|ricoh|epson|konica|oki data|seiko epson|sharp' } },
  { id: 'printer-nmap', field: 'type', value: 'printer', confidence: 0.8, when: { nmapService: '^(ipp|printer|jetdirect)\\b.*(printer|laserjet|cups)|jetdirect' } },

  // Cameras
  { id: 'camera-rtsp', field: 'type', value: 'camera', confidence: 0.7, when: { ports: [554], noPort: [135, 3389] } },
  { id: 'camera-http', field: 'type', value: 'camera', confidence: 0.8, when: { httpTitle: CAMERA_BRANDS } },
  { id: 'camera-http-server', field: 'type', value: 'camera', confidence: 0.7, when: { httpServer: 'hikvision|dahua|dnvrs|app-webs|boa/.*axis|axis' } },
  { id: 'camera-mdns', field: 'type', value: 'camera', confidence: 0.9, when: { mdnsService: '^_(axis-video|rtsp|hap-camera)\\._tcp' } },
  { id: 'camera-ssdp', field: 'type', value: 'camera', confidence: 0.85, when: { ssdp: 'networkcamera|digitalsecuritycamera|' + CAMERA_BRANDS } },
  { id: 'camera-oui', field: 'type', value: 'camera', confidence: 0.7, when: { macVendor: 'axis communications|hikvision|dahua|mobotix|vivotek|hanwha|zhejiang uniview' } },

  // Phones
  { id: 'phone-sip', field: 'type', value: 'phone', confidence: 0.6, when: { anyPort: [5060, 5061], noPort: [135, 3389, 22] } },
  { id: 'phone-http', field: 'type', value: 'phone', confidence: 0.8, when: { httpTitle: PHONE_BRANDS } },
  { id: 'phone-ssdp', field: 'type', value: 'phone', confidence: 0.8, when: { ssdp: PHONE_BRANDS } },
  { id: 'phone-oui', field: 'type', value: 'phone', confidence: 0.65, when: { macVendor: 'polycom|yealink|snom|grandstream|avaya|mitel|fanvil|gigaset' } },

  // Routers, switches, access points, firewalls
  { id: 'router-winbox', field: 'type', value: 'router', confidence: 0.85, when: { ports: [8291] } },
  { id: 'router-oui', field: 'type', value: 'router', confidence: 0.6, when: { macVendor: 'routerboard|mikrotik' } },
  { id: 'router-upnp-igd', field: 'type', value: 'router', confidence: 0.85, when: { ssdp: 'internetgatewaydevice' } },
  { id: 'router-http', field: 'type', value: 'router', confidence: 0.7, when: { httpTitle: 'routeros|router|fritz!box|openwrt|luci|pfsense|opnsense|edgeos' } },
  { id: 'switch-telnet-network-oui', field: 'type', value: 'switch', confidence: 0.55, when: { ports: [23], noPort: [135, 445, 3389], macVendor: 'cisco|juniper|aruba|hewlett packard enterprise|procurve|netgear|d-link|zyxel|extreme|allied telesis|brocade' } },
  { id: 'switch-http', field: 'type', value: 'switch', confidence: 0.7, when: { httpTitle: 'switch|procurve|catalyst|netgear gs|smart managed' } },
  { id: 'ap-oui', field: 'type', value: 'ap', confidence: 0.55, when: { macVendor: 'ubiquiti|ruckus|meraki|cambium|aerohive|engenius|aruba' , noPort: [23, 8291] } },
  { id: 'ap-http', field: 'type', value: 'ap', confidence: 0.75, when: { httpTitle: 'unifi|access point|omada|aironet' } },
  { id: 'firewall-http', field: 'type', value: 'firewall', confidence: 0.75, when: { httpTitle: 'fortigate|sonicwall|sophos|watchguard|palo alto|globalprotect' } },
  { id: 'firewall-oui', field: 'type', value: 'firewall', confidence: 0.6, when: { macVendor: 'fortinet|sonicwall|palo alto|watchguard|sophos' } },

  // Storage, out-of-band management, power
  { id: 'nas-oui', field: 'type', value: 'nas', confidence: 0.75, when: { macVendor: 'synology|qnap|buffalo|western digital|asustor|drobo' } },
  { id: 'nas-dsm-smb', field: 'type', value: 'nas', confidence: 0.55, when: { ports: [5000, 445] } },
  { id: 'nas-http', field: 'type', value: 'nas', confidence: 0.85, when: { httpTitle: 'synology|diskstation|qnap|qts|truenas|freenas|readynas|my cloud' } },
  { id: 'nas-mdns', field: 'type', value: 'nas', confidence: 0.6, when: { mdnsService: '^_adisk\\._tcp' } },
  { id: 'bmc-http', field: 'type', value: 'bmc', confidence: 0.9, when: { httpTitle: 'ilo|idrac|integrated lights|integrated dell remote|supermicro|ipmi|xclarity|bmc|megarac' } },
  { id: 'ups-http', field: 'type', value: 'ups', confidence: 0.75, when: { httpTitle: 'powerchute|network management card|eaton|ups network|cyberpower' } },

  // Servers and workstations
  { id: 'hypervisor-esxi', field: 'type', value: 'server', confidence: 0.85, when: { ports: [902] } },
  { id: 'hypervisor-http', field: 'type', value: 'server', confidence: 0.85, when: { httpTitle: 'vmware esxi|proxmox|vcenter|hyper-v' } },
  { id: 'server-windows-rdp', field: 'type', value: 'server', confidence: 0.5, when: { ports: [3389], anyPort: [135, 445] } },
  { id: 'server-ssh-web', field: 'type', value: 'server', confidence: 0.5, when: { ports: [22], anyPort: [80, 443], noPort: [9100, 515, 631, 554, 8291] } },
  { id: 'server-virtual-nic', field: 'type', value: 'server', confidence: 0.5, when: { macVendor: 'vmware|xensource|qemu|red hat|nutanix|microsoft' } },
  { id: 'workstation-apple', field: 'type', value: 'workstation', confidence: 0.55, when: { macVendor: '^apple', anyPort: [22, 445, 548, 5900, 88] } },
  { id: 'workstation-mdns', field: 'type', value: 'workstation', confidence: 0.6, when: { mdnsService: '^_(workstation|companion-link|rdlink|sftp-ssh)\\._tcp' } },
  { id: 'other-media', field: 'type', value: 'other', confidence: 0.7, when: { mdnsService: '^_(googlecast|airplay|raop|spotify-connect|sonos)\\._tcp' } },
  { id: 'other-upnp-media', field: 'type', value: 'other', confidence: 0.6, when: { ssdp: 'mediarenderer|dial|roku|smart ?tv|sonos' } },

  // Operating system families
  { id: 'os-windows-msrpc', field: 'os', value: 'Windows', confidence: 0.7, when: { ports: [135] } },
  { id: 'os-windows-rdp', field: 'os', value: 'Windows', confidence: 0.6, when: { ports: [3389], noPort: [22] } },
  { id: 'os-windows-smb', field: 'os', value: 'Windows', confidence: 0.4, when: { ports: [445, 139], noPort: [22] } },
  { id: 'os-windows-netbios', field: 'os', value: 'Windows', confidence: 0.3, when: { netbios: true, noPort: [22] } },
  { id: 'os-windows-iis', field: 'os', value: 'Windows', confidence: 0.8, when: { httpServer: 'microsoft-iis|microsoft-httpapi' } },
  { id: 'os-unix-ssh', field: 'os', value: 'Unix-like', confidence: 0.5, when: { ports: [22], noPort: [135, 3389] } },
  { id: 'os-linux-http-server', field: 'os', value: 'Linux', confidence: 0.5, when: { httpServer: '\\((debian|ubuntu|centos|red hat|fedora|rocky|alma)' } },
];

/** nmap's device classes (nmap-os-db "type", -sV "devicetype") as our types; absent = says nothing. */
export const NMAP_DEVICE_TYPES: Readonly<Record<string, DeviceType>> = {
  printer: 'printer',
  'print server': 'printer',
  router: 'router',
  'broadband router': 'router',
  switch: 'switch',
  WAP: 'ap',
  firewall: 'firewall',
  webcam: 'camera',
  phone: 'phone',
  'VoIP phone': 'phone',
  'VoIP adapter': 'phone',
  PBX: 'phone',
  'storage-misc': 'nas',
  'power-device': 'ups',
  'remote management': 'bmc',
  'media device': 'other',
  'game console': 'other',
};
