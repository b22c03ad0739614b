// Drives the Quorum chat in Debian chromium: attach files, send, wait for the report, screenshot.
// Usage: node upload_and_wait.mjs BASE_URL SCREENSHOT_DIR FILE...
import { chromium } from "playwright-core";
import path from "node:path";

const [baseUrl, shotDir, ...files] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const REPORT_TIMEOUT_MS = Number(process.env.REPORT_TIMEOUT_MS || 240000);

const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const shot = (name) => page.screenshot({ path: path.join(shotDir, name), fullPage: false });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const problems = [];
page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
try {
  await page.goto(baseUrl, { waitUntil: "domcontentloaded" });
  await page.waitForSelector("#chat-input", { timeout: 60000 });
  await page.waitForTimeout(1500); // the welcome screen fades in
  await shot("01-welcome.png");
  await page.setInputFiles("#upload-button-input", files);
  for (const file of files) {
    await page.getByText(path.basename(file)).first().waitFor({ timeout: 30000 });
  }
  await page.locator("#chat-input").fill("Analyse these files.");
  await page.locator("#chat-submit").click();
  // Uploads have been ingested once the board lists them as added.
  await page.getByText("Files attached to this message").first().waitFor({ timeout: 60000 });
  await shot("02-uploaded.png");
  // The report arrives as downloadable files at the end of the run.
  await page.getByText(/\.html$/).first().waitFor({ timeout: REPORT_TIMEOUT_MS });
  await page.waitForTimeout(1500);
  await shot("03-report.png");
  await page.mouse.wheel(0, -4000);
  await page.waitForTimeout(500);
  await shot("04-run-top.png");
  console.log(JSON.stringify({ ok: true, problems }));
} catch (error) {
  await shot("99-failure.png").catch(() => {});
  console.log(JSON.stringify({ ok: false, error: String(error), problems }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
