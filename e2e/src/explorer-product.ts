/**
 * What every explorer browser test starts: the fake provider, an all-in-one on a fresh data
 * dir, the explorer URL it prints, and Chromium; `stop()` ends them all and removes the dir.
 */
import { rmSync } from 'node:fs';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { type FakeProvider, startFakeProvider } from './fake-provider.ts';
import { freshDataDir, type RunningProduct, startAllInOne } from './topology.ts';

export interface ExplorerProduct {
  fake: FakeProvider;
  product: RunningProduct;
  explorerUrl: string;
  browser: TestBrowser;
  stop(): Promise<void>;
}

export async function startExplorerProduct(): Promise<ExplorerProduct> {
  const fake = await startFakeProvider();
  const dataDir = freshDataDir();
  const product = await startAllInOne({ providerBaseUrl: fake.baseUrl, dataDir });
  const line = await product.processes[0]?.waitFor(/to11: explorer at (http:\/\/\S+)/);
  const browser = await launchBrowser();
  return {
    fake,
    product,
    explorerUrl: line?.[1] ?? '',
    browser,
    async stop() {
      await browser.close();
      await product.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
