// Screenshots of the calling page for docs/screenshots: idle, device settings, ringing, in call (1280x800; the
// remote user has muted their microphone) and idle and in call on a phone (390x844). Usage: node screenshots.mjs <alice-url> <bob-url> <out-dir>   (two nodes that know each other)
import puppeteer from 'puppeteer-core';

const [aliceUrl, bobUrl, out] = process.argv.slice(2);
const launch = () => puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true, acceptInsecureCerts: true,
  args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-gpu',
    '--autoplay-policy=no-user-gesture-required'],
});
const [ba, bb] = await Promise.all([launch(), launch()]);
try {
  const a = await ba.newPage();
  const b = await bb.newPage();
  await a.setViewport({ width: 1280, height: 800 });
  await b.setViewport({ width: 1280, height: 800 });
  await a.goto(aliceUrl);
  await b.goto(bobUrl);
  await a.waitForSelector('[data-testid="call"][data-user="bob"]');
  await b.waitForSelector('[data-testid="call"][data-user="alice"]');
  // The network check runs at page load: show its verdict, not "checking…".
  const checked = () => document.querySelector('[data-testid="net-verdict"]').dataset.state === 'done';
  await a.waitForFunction(checked, { timeout: 60_000 });
  await b.waitForFunction(checked, { timeout: 60_000 });
  await a.screenshot({ path: `${out}/idle.png` });
  await a.setViewport({ width: 390, height: 844 });
  await a.screenshot({ path: `${out}/idle-390x844.png` });
  await a.setViewport({ width: 1280, height: 800 });
  await a.click('[data-testid="device-settings"]');
  await a.waitForFunction(() => { const v = document.querySelector('[data-testid="device-preview"]'); return v.readyState >= 2 && v.videoWidth > 0; });
  await new Promise((r) => setTimeout(r, 1500)); // the device names and a beep on the level meter
  await a.screenshot({ path: `${out}/device-settings.png` });
  await a.keyboard.press('Escape');
  await a.click('[data-testid="call"][data-user="bob"]');
  await b.waitForFunction(() => !document.querySelector('[data-testid="incoming-call"]').hidden);
  await b.screenshot({ path: `${out}/ringing.png` });
  await b.click('[data-testid="accept"]');
  const playing = () => { const v = document.querySelector('[data-testid="remote-video"]'); return v.readyState >= 2 && v.videoWidth > 0; };
  await a.waitForFunction(playing);
  await b.waitForFunction(playing);
  await a.type('[data-testid="chat-input"]', 'hello bob');
  await a.click('[data-testid="chat-send"]');
  await b.click('[data-testid="mute-mic"]');
  await a.waitForFunction(() => !document.querySelector('[data-testid="remote-muted"]').hidden);
  await new Promise((r) => setTimeout(r, 1500));
  await a.screenshot({ path: `${out}/in-call.png` });
  // width and height only: changing isMobile/hasTouch would reload the page and end the call
  await b.setViewport({ width: 390, height: 844 });
  await new Promise((r) => setTimeout(r, 1000));
  await b.screenshot({ path: `${out}/in-call-390x844.png` });
  await a.click('[data-testid="hangup"]');
  console.log(`screenshots in ${out}`);
} finally {
  await Promise.all([ba.close(), bb.close()]);
}
