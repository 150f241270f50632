import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { ConfigError } from '../../errors';

/**
 * The key material of the JWT bearer flow. Salesforce's connected app ("Use digital
 * signatures") wants an X.509 certificate; the engine signs with the matching PKCS#8 private
 * key. node:crypto makes the RSA pair; node-forge wraps the public half in a self-signed
 * certificate, which node:crypto cannot create.
 */
export interface KeyFiles {
  dir: string;
  privateKeyPath: string;
  certificatePath: string;
}

/** ~/.config/sales-assembly-line/<alias> (XDG_CONFIG_HOME respected). */
export function defaultConfigDir(alias: string, env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'sales-assembly-line', alias);
}

function realOrSelf(target: string): string {
  // The directory may not exist yet: resolve the nearest existing ancestor.
  let probe = path.resolve(target);
  const rest: string[] = [];
  while (!existsSync(probe)) {
    rest.unshift(path.basename(probe));
    probe = path.dirname(probe);
  }
  return path.join(realpathSync(probe), ...rest);
}

/** The git work tree holding `dir`, if any (a key must never land where it can be committed). */
export function repositoryRoot(dir: string): string | undefined {
  let probe = realOrSelf(dir);
  for (;;) {
    if (existsSync(path.join(probe, '.git'))) return probe;
    const parent = path.dirname(probe);
    if (parent === probe) return undefined;
    probe = parent;
  }
}

export function assertOutsideRepository(dir: string): void {
  const root = repositoryRoot(dir);
  if (root !== undefined) {
    throw new ConfigError('--dir', `${dir} is inside the git repository ${root}`, 'keep the private key outside any repository: use the default ~/.config/sales-assembly-line/<alias> or another --dir');
  }
}

export function selfSignedCertificate(publicKeyPem: string, privateKeyPem: string, commonName: string, now: Date): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + 2 * 365 * 24 * 3600 * 1000);
  const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Sales Assembly Line engine' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** Creates the pair in `dir` (0700) with the private key at 0600; refuses to overwrite or to write in a repository. */
export function createKeyFiles(dir: string, commonName: string, now: Date, options: { force?: boolean } = {}): KeyFiles {
  assertOutsideRepository(dir);
  const files = { dir, privateKeyPath: path.join(dir, 'server.key'), certificatePath: path.join(dir, 'server.crt') };
  if (existsSync(files.privateKeyPath) && !options.force) {
    throw new ConfigError('--dir', `${files.privateKeyPath} already exists`, 'reuse it (asl connect keeps an existing key unless --rotate-key), or pass another --alias/--dir');
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  });
  writeFileSync(files.privateKeyPath, privateKey, { mode: 0o600 });
  chmodSync(files.privateKeyPath, 0o600);
  writeFileSync(files.certificatePath, selfSignedCertificate(publicKey, privateKey, commonName, now), { mode: 0o644 });
  return files;
}
