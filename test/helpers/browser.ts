/**
 * Headless Chromium for browser tests, driven by playwright-core: Debian's `chromium` package (or
 * the browser `CHROMIUM_PATH` names), never a browser downloaded by Playwright. The flags keep it
 * off the network: without them Chromium keeps trying Google's hosts, which a closed network refuses.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Where tests keep artifacts such as screenshots (git-ignored). */
export const testResultsFolder = fileURLToPath(new URL('../../test-results', import.meta.url));

const debianChromium = '/usr/bin/chromium';

/**
 * The Chromium to use: `CHROMIUM_PATH` when set (a wrong one is an error at launch, not a reason to
 * skip), else Debian's; undefined when neither is there.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) return configured;
  return existsSync(debianChromium) ? debianChromium : undefined;
}

/** Why browser tests are skipped on this machine, or undefined when there is a Chromium to use. */
export function chromiumMissingReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findChromium(env)
    ? undefined
    : `no Chromium: neither ${debianChromium} (Debian's chromium package) nor CHROMIUM_PATH`;
}

/** Launches headless Chromium with a fresh, temporary profile (Playwright removes it on close). */
export async function launchChromium(executablePath = findChromium()): Promise<Browser> {
  if (!executablePath) throw new Error(chromiumMissingReason());
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath} (CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The path of an artifact in `test-results/`, creating the folder. */
export async function artifactPath(name: string): Promise<string> {
  const path = join(testResultsFolder, name);
  await mkdir(dirname(path), { recursive: true });
  return path;
}
