// The package database parsers, on output recorded from each platform's tool (written here by the
// project, in the tools' documented formats).
import { describe, expect, it } from 'vitest';
import { parseDpkg, parseRegUninstall, parseRpm, parseSystemProfiler } from '../../src/scan/local/software.js';

describe('software parsers', () => {
  it('dpkg: installed and held packages only, maintainer without e-mail as publisher', () => {
    const out = [
      'ii \tbash\t5.2.15-2+b2\tamd64\tMatthias Klose <doko@debian.org>',
      'rc \told-kernel\t6.1.0-10\tamd64\tDebian Kernel Team <debian-kernel@lists.debian.org>',
      'hi \tlibc6\t2.36-9+deb12u4\ti386\tGNU Libc Maintainers <debian-glibc@lists.debian.org>',
      'un \tnever-installed\t\t\t',
      '',
    ].join('\n');
    expect(parseDpkg(out)).toEqual([
      { name: 'bash', version: '5.2.15-2+b2', arch: 'amd64', publisher: 'Matthias Klose' },
      { name: 'libc6', version: '2.36-9+deb12u4', arch: 'i386', publisher: 'GNU Libc Maintainers' },
    ]);
  });

  it('rpm: epoch 0 dropped, (none) fields left out', () => {
    const out = 'bash\t0:5.1.8-6.el9\tx86_64\tRed Hat, Inc.\ngpg-pubkey\t0:fd431d51-4ae0493b\t(none)\t(none)\nopenssl\t1:3.0.7-24.el9\tx86_64\tRed Hat, Inc.\n';
    expect(parseRpm(out)).toEqual([
      { name: 'bash', version: '5.1.8-6.el9', arch: 'x86_64', publisher: 'Red Hat, Inc.' },
      { name: 'gpg-pubkey', version: 'fd431d51-4ae0493b' },
      { name: 'openssl', version: '1:3.0.7-24.el9', arch: 'x86_64', publisher: 'Red Hat, Inc.' },
    ]);
  });

  it('Windows registry: what "Apps & features" lists, not system components or updates', () => {
    const out = [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\7-Zip',
      '    DisplayIcon    REG_SZ    C:\\Program Files\\7-Zip\\7zFM.exe',
      '    DisplayName    REG_SZ    7-Zip 23.01 (x64)',
      '    DisplayVersion    REG_SZ    23.01',
      '    Publisher    REG_SZ    Igor Pavlov',
      '    NoModify    REG_DWORD    0x1',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{90160000-008C-0000-1000-0000000FF1CE}',
      '    DisplayName    REG_SZ    Office 16 Click-to-Run Extensibility Component',
      '    SystemComponent    REG_DWORD    0x1',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\KB5034441',
      '    DisplayName    REG_SZ    Security Update for Windows (KB5034441)',
      '    ParentKeyName    REG_SZ    OperatingSystem',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\NoName',
      '    UninstallString    REG_SZ    C:\\x.exe',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Mozilla Firefox 123.0 (x64 de)',
      '    DisplayName    REG_SZ    Mozilla Firefox (x64 de)',
      '    DisplayVersion    REG_SZ    123.0',
      '    Publisher    REG_SZ    Mozilla',
      '',
    ].join('\r\n');
    expect(parseRegUninstall(out)).toEqual([
      { name: '7-Zip 23.01 (x64)', version: '23.01', publisher: 'Igor Pavlov' },
      { name: 'Mozilla Firefox (x64 de)', version: '123.0', publisher: 'Mozilla' },
    ]);
  });

  it('macOS system_profiler: developer from the signature, Apple for App Store apps from Apple', () => {
    const out = JSON.stringify({
      SPApplicationsDataType: [
        { _name: 'Firefox', version: '123.0.1', obtained_from: 'identified_developer', signed_by: ['Developer ID Application: Mozilla Corporation (43AQ936H96)', 'Developer ID Certification Authority', 'Apple Root CA'] },
        { _name: 'Safari', version: '17.4.1', obtained_from: 'apple', signed_by: ['Software Signing'] },
        { _name: 'Homemade', obtained_from: 'unknown' },
        { _name: 'Safari', version: '17.4.1', obtained_from: 'apple' },
      ],
    });
    expect(parseSystemProfiler(out)).toEqual([
      { name: 'Firefox', version: '123.0.1', publisher: 'Mozilla Corporation' },
      { name: 'Safari', version: '17.4.1', publisher: 'Apple' },
      { name: 'Homemade' },
    ]);
  });
});
