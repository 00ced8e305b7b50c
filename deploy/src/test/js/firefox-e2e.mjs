// Calls between two decwebrtc pages in real browsers, driven over WebDriver BiDi (Firefox) and CDP (Chromium) by
// puppeteer-core: no browser is downloaded, Debian's firefox-esr and chromium are used. One run = one call:
//   node firefox-e2e.mjs '<json>'   with {caller:{browser,url,name}, callee:{browser,url,name}, files:[{path,sha256}]}
// Steps: discover, call, accept, video both ways, chat both ways, the files by hash, screen share (Firefox needs
// a display: run under xvfb-run; headless it reports why it cannot), hang up -> idle. Exit status 0 = all passed.

import puppeteer from 'puppeteer-core';

const STEP_MS = 30000;
const config = JSON.parse(process.argv[2]);
const log = (text) => console.log(`[browser-e2e] ${text}`);
const headful = Boolean(process.env.DISPLAY);

async function launch(kind) {
  if (kind === 'firefox') {
    return puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
      headless: !headful, // under Xvfb Firefox runs with a screen, so it can share one
      acceptInsecureCerts: true,
      protocolTimeout: 60000,
      extraPrefsFirefox: {
        'media.navigator.streams.fake': true,
        'media.navigator.permission.disabled': true,
        // getDisplayMedia without the picker (the permission pref above covers it), and no autoplay block
        'media.autoplay.default': 0,
        'media.autoplay.blocking_policy': 0,
      },
      args: ['--width=1280', '--height=800'],
    });
  }
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptInsecureCerts: true,
    protocolTimeout: 60000,
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--auto-select-desktop-capture-source=Entire screen', '--disable-gpu', '--window-size=1280,800',
      '--autoplay-policy=no-user-gesture-required'],
  });
}

async function until(page, what, fn, arg, ms = STEP_MS) {
  try {
    await page.waitForFunction(fn, { timeout: ms, polling: 100 }, arg);
  } catch (e) {
    const notice = await page.evaluate(() => document.querySelector('[data-testid="notice"]')?.textContent || '')
      .catch(() => '?');
    throw new Error(`${what}: not within ${ms} ms (notice: "${notice}")`);
  }
}

const sel = (testid) => `[data-testid="${testid}"]`;

/** Opens the page; while the previous run's tab is still being let go, the node says "already open": retry. */
async function open(page, url) {
  for (let attempt = 0; ; attempt++) {
    await page.goto(url);
    await until(page, 'page connected', () => document.getElementById('me').textContent !== '…'
      || /already open/.test(document.querySelector('[data-testid="notice"]').textContent));
    const taken = await page.evaluate(() => /already open/.test(document.querySelector('[data-testid="notice"]').textContent));
    if (!taken) return;
    if (attempt === 10) throw new Error('the node stayed "already open" in another tab');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
const playing = () => {
  const v = document.querySelector('[data-testid="remote-video"]');
  return Boolean(v && v.srcObject && !v.paused && v.readyState >= 2 && v.videoWidth > 0);
};

async function armProbe(page) {
  await page.evaluate(() => {
    // @ts-ignore
    window.__playingAt = 0;
    const v = document.querySelector('[data-testid="remote-video"]');
    const probe = setInterval(() => {
      if (v.srcObject && !v.paused && v.readyState >= 2 && v.videoWidth > 0) {
        // @ts-ignore
        window.__playingAt = Date.now();
        clearInterval(probe);
      }
    }, 5);
  });
}

async function framesDecoded(page) {
  return page.evaluate(async () => {
    // @ts-ignore
    const s = await window.decwebrtc.stats();
    return s ? s.framesDecoded : 0;
  });
}

async function main() {
  const { caller, callee, files } = config;
  const tag = `${caller.browser}(${caller.name}) -> ${callee.browser}(${callee.name})`;
  const cannot = [];
  const browsers = [];
  try {
    const [bA, bB] = await Promise.all([launch(caller.browser), launch(callee.browser)]);
    browsers.push(bA, bB);
    const a = await bA.newPage();
    const b = await bB.newPage();
    for (const page of [a, b]) page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await Promise.all([open(a, caller.url), open(b, callee.url)]);
    const t0 = Date.now();
    await until(a, 'discover', (n) => !!document.querySelector(`[data-testid="call"][data-user="${n}"]`), callee.name);
    await until(b, 'discover', (n) => !!document.querySelector(`[data-testid="call"][data-user="${n}"]`), caller.name);
    log(`${tag}: discover ok (${Date.now() - t0} ms after the pages loaded)`);

    await a.click(`[data-testid="call"][data-user="${callee.name}"]`);
    await until(b, 'incoming call', () => !document.querySelector('[data-testid="incoming-call"]').hidden);
    log(`${tag}: call rings ok`);
    await armProbe(a);
    await armProbe(b);
    const acceptAt = Date.now();
    await b.click(sel('accept'));
    await until(a, 'caller video playing', playing);
    await until(b, 'callee video playing', playing);
    // @ts-ignore
    const at = Math.max(await a.evaluate(() => window.__playingAt), await b.evaluate(() => window.__playingAt));
    log(`${tag}: accept -> both remote videos playing: ${at - acceptAt} ms (goal <= 1500 ms)`);
    for (const [page, who] of [[a, 'caller'], [b, 'callee']]) {
      const before = await framesDecoded(page);
      await until(page, `${who} frames decoding`, async (n) => {
        // @ts-ignore
        const s = await window.decwebrtc.stats();
        return s && s.framesDecoded > n + 5;
      }, before);
    }
    log(`${tag}: video both ways ok`);

    for (const [from, to, text] of [[a, b, `hi from ${caller.browser}`], [b, a, `hello from ${callee.browser}`]]) {
      await from.type(sel('chat-input'), text);
      await from.click(sel('chat-send'));
      await until(to, `chat "${text}"`, (t) => [...document.querySelectorAll('[data-testid="chat-message"]')]
        .some((e) => e.textContent === t), text);
    }
    log(`${tag}: chat both ways ok`);

    const input = await a.$(sel('file-input'));
    const before = await b.$$eval(sel('received-file'), (els) => els.length);
    await input.uploadFile(...files.map((f) => f.path));
    const expected = files.map((f) => f.sha256).sort();
    await until(b, 'three files by hash', ({ n, want }) => {
      // Consent step, when the page asks the receiver before a transfer.
      for (const accept of document.querySelectorAll('[data-testid="file-accept"]')) /** @type {HTMLElement} */ (accept).click();
      const got = [...document.querySelectorAll('[data-testid="received-file"]')].slice(n)
        .map((e) => e.getAttribute('data-sha256')).sort();
      return got.length === want.length && got.every((h, i) => h === want[i]);
    }, { n: before, want: expected }, 120000);
    log(`${tag}: ${files.length} files arrived with matching SHA-256 ok`);

    for (const [page, kind, other] of [[a, caller.browser, b], [b, callee.browser, a]]) {
      const width = await other.evaluate(() => document.querySelector('[data-testid="remote-video"]').videoWidth);
      await page.click(sel('share-screen'));
      try {
        await until(page, 'screen share', () => document.querySelector('[data-testid="share-screen"]').textContent === 'Stop sharing'
          || /screen sharing failed/.test(document.querySelector('[data-testid="notice"]').textContent), undefined, 15000);
        const failed = await page.evaluate(() => /screen sharing failed/.test(document.querySelector('[data-testid="notice"]').textContent)
          ? document.querySelector('[data-testid="notice"]').textContent : '');
        if (failed) throw new Error(failed);
        await until(other, 'the shared screen arrives', (w) => {
          const v = document.querySelector('[data-testid="remote-video"]');
          return v.videoWidth > 0 && v.videoWidth !== w;
        }, width, 20000);
        log(`${tag}: ${kind} shares its screen ok`);
        await page.click(sel('share-screen'));
      } catch (e) {
        if (kind === 'firefox' && !headful) {
          cannot.push(`screen share: headless Firefox has no screen to capture (${String(e.message).slice(0, 120)}); run under xvfb-run`);
          log(`${tag}: ${kind} screen share not possible headless`);
        } else {
          throw new Error(`${kind} screen share: ${e.message}`);
        }
      }
    }

    await a.click(sel('hangup'));
    await until(a, 'caller idle', () => document.querySelector('[data-testid="call-state"]').textContent === 'idle');
    await until(b, 'callee idle', () => document.querySelector('[data-testid="call-state"]').textContent === 'idle');
    log(`${tag}: hang up -> idle ok`);
    for (const reason of cannot) log(`${tag}: CANNOT ${reason}`);
    log(`${tag}: PASSED`);
  } finally {
    await Promise.all(browsers.map((br) => br.close().catch(() => {})));
  }
}

main().catch((e) => {
  log(`FAILED: ${e.stack || e}`);
  process.exit(1);
});
