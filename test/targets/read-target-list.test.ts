import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/model/errors.js';
import { parseTargetList, readTargetFile } from '../../src/targets/index.js';

describe('parseTargetList', () => {
  it('reads one or more targets per line, skipping comments and blank lines', () => {
    const text = [
      '# office networks',
      '10.0.0.0/24',
      '',
      '   10.0.1.1-50   # printers floor 1',
      '10.0.2.1, 10.0.2.2,10.0.2.3',
      '\tprinter.example.com  localhost',
      '   # indented comment',
      '10.0.3.1#no space before the comment',
      '',
    ].join('\n');
    expect(parseTargetList(text, 'hosts.txt')).toEqual([
      '10.0.0.0/24',
      '10.0.1.1-50',
      '10.0.2.1',
      '10.0.2.2',
      '10.0.2.3',
      'printer.example.com',
      'localhost',
      '10.0.3.1',
    ]);
  });

  it('handles CRLF line ends and a byte order mark', () => {
    expect(parseTargetList('\uFEFF10.0.0.1\r\n10.0.0.2\r\n', 'win.txt')).toEqual([
      '10.0.0.1',
      '10.0.0.2',
    ]);
  });

  it('returns nothing for a file of comments', () => {
    expect(parseTargetList('# nothing yet\n\n   \n', 'empty.txt')).toEqual([]);
  });

  it('names origin and line number of a bad entry', () => {
    const text = '10.0.0.1\n# comment\n10.0.0.2, 10.0.0.300\n';
    expect(() => parseTargetList(text, 'hosts.txt')).toThrow(UsageError);
    expect(() => parseTargetList(text, 'hosts.txt')).toThrow(
      /^hosts\.txt:3: target "10\.0\.0\.300": octet 300 is out of range/,
    );
  });

  it('counts lines the same with CRLF ends', () => {
    expect(() => parseTargetList('10.0.0.1\r\n\r\nfe80::1\r\n', 'list')).toThrow(
      /^list:3: target "fe80::1": IPv6 is not supported yet/,
    );
  });

  it('refuses a nested @file', () => {
    expect(() => parseTargetList('@other.txt', 'hosts.txt')).toThrow(/^hosts\.txt:1: .*@file/);
  });
});

describe('readTargetFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netcensus-targets-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and parses a file', async () => {
    const path = join(dir, 'hosts.txt');
    await writeFile(path, '# lab\n127.0.0.1\n127.0.0.0/30 # loopback block\n');
    expect(await readTargetFile(path)).toEqual(['127.0.0.1', '127.0.0.0/30']);
  });

  it('names the file and line of a bad entry', async () => {
    const path = join(dir, 'bad.txt');
    await writeFile(path, '127.0.0.1\nnot a_host\n');
    await expect(readTargetFile(path)).rejects.toThrow(`${path}:2: target "a_host"`);
  });

  it('refuses a missing file, naming the path', async () => {
    const path = join(dir, 'missing.txt');
    const err = await readTargetFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      `cannot read target file ${JSON.stringify(path)} (no such file); check the path after "@"`,
    );
  });

  it('refuses a directory, naming the path', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path);
    await expect(readTargetFile(path)).rejects.toThrow(
      new UsageError(`cannot read target file ${JSON.stringify(path)} (it is a directory); check the path after "@"`),
    );
  });
});
