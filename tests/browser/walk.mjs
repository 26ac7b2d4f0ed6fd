// walk.mjs: the whole livecard method walked in headless Chromium by two members and a non-member, in English and Chinese, with axe-core on every page.
//
// Environment: BASE_URL (the stack, e.g. http://127.0.0.1:20010), MAILDIR (the
// mail catcher's Maildir "new" folder), SMSDIR (the SMS catcher's folder; step
// 12 reads a phone code there), ARTIFACTS (screenshots; default
// <top>/build/artifacts/browser), LANGS (default
// "en:desktop,zh-CN:phone,zh-CN:nojs:desktop,en:phone"), VIEWPORT
// (desktop|phone: every walk on that screen), CHROMIUM (default /usr/bin/chromium), TEMPLATES
// (default <top>/templates). Output: TAP lines without numbers ("ok - ...",
// "not ok - ...", "# ...") that tests/integration/950-browser.t numbers.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOP = path.resolve(HERE, '../..');
const BASE = (process.env.BASE_URL || '').replace(/\/$/, '');
const MAILDIR = process.env.MAILDIR || '';
const SMSDIR = process.env.SMSDIR || '';
const ARTIFACTS = process.env.ARTIFACTS || path.join(TOP, 'build/artifacts/browser');
// LANGS: the walks in order, "locale[:nojs][:desktop|:phone]" (nojs: JavaScript
// off; the screen, else desktop and phone by turns)
const LANGS = (process.env.LANGS || 'en:desktop,zh-CN:phone,zh-CN:nojs:desktop,en:phone').split(',').filter(Boolean);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TEMPLATES = process.env.TEMPLATES || path.join(TOP, 'templates');
const RUN = Date.now().toString(36);
const TIMEOUT = 15000;		// one wait for a page or an element
const LETTER_TIMEOUT = 20000;	// letters.js polls every 3 s

if (!BASE || !MAILDIR) {
	console.log('Bail out! walk.mjs needs BASE_URL and MAILDIR');
	process.exit(255);
}

// --- TAP ---------------------------------------------------------------------
let failures = 0;
function ok(pass, desc) {
	if (!pass) failures++;
	console.log(`${pass ? 'ok' : 'not ok'} - ${desc}`);
}
function diag(msg) {
	for (const line of String(msg).split('\n')) console.log(`# ${line}`);
}

// --- the language files (a small HDF reader) -----------------------------------
// readHdf: `Key = value`, `Key << EOM` ... `EOM`, `Key : Other.Key` (a link),
// `Section {` ... `}`, `#include "file"` (relative to the including file, then
// to the lang folder), comments; dotted keys anywhere. Returns a flat Map.
function readHdf(file, into = new Map(), prefix = [], base = path.dirname(file)) {
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	const stack = [...prefix];
	const links = [];
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i].trim();
		let m;
		if (line === '') continue;
		if ((m = line.match(/^#include\s+"([^"]+)"/))) {
			let inc = path.resolve(path.dirname(file), m[1]);
			if (!fs.existsSync(inc)) inc = path.resolve(base, m[1]);
			readHdf(inc, into, stack, base);
			continue;
		}
		if (line.startsWith('#')) continue;
		if (line === '}') { stack.pop(); continue; }
		if ((m = line.match(/^([A-Za-z0-9_.\-*]+)\s*\{$/))) { stack.push(m[1]); continue; }
		if ((m = line.match(/^([A-Za-z0-9_.\-*]+)\s*<<\s*(\S+)$/))) {
			const end = m[2], body = [];
			for (i++; i < lines.length && lines[i].trim() !== end; i++) body.push(lines[i]);
			into.set([...stack, m[1]].join('.'), body.join('\n'));
			continue;
		}
		if ((m = line.match(/^([A-Za-z0-9_.\-*]+)\s*=\s?(.*)$/))) { into.set([...stack, m[1]].join('.'), m[2].trim()); continue; }
		if ((m = line.match(/^([A-Za-z0-9_.\-*]+)\s*:\s*(\S+)$/))) { links.push([[...stack, m[1]].join('.'), m[2]]); continue; }
		if ((m = line.match(/^([A-Za-z0-9_.\-*]+)\s*!=\s?(.*)$/))) { into.set([...stack, m[1]].join('.'), m[2].trim()); continue; }
	}
	for (const [k, target] of links) if (into.has(target)) into.set(k, into.get(target));
	return into;
}

function strings(locale) {
	const file = path.join(TEMPLATES, 'lang', `${locale}.hdf`);
	const map = readHdf(file);
	// then every lang/<locale>/*.hdf in name order, as lib/tmpl.c reads them
	const dir = path.join(TEMPLATES, 'lang', locale);
	for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.hdf') && !n.startsWith('.')).sort())
		readHdf(path.join(dir, f), map);
	// L(key, ...fallbacks): the first key that exists; a missing string is a finding.
	const L = (...keys) => {
		for (const k of keys) if (map.has(k) && map.get(k) !== '') return map.get(k);
		throw new Error(`no string ${keys.join(' | ')} in ${locale}.hdf`);
	};
	L.has = (k) => map.has(k) && map.get(k) !== '';
	return L;
}

// --- mail ------------------------------------------------------------------------
function decodeWord(s) {	// RFC 2047 B/Q encoded words
	return s.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc, text) => enc.toUpperCase() === 'B'
		? Buffer.from(text, 'base64').toString('utf8')
		: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

function mailsTo(addr) {
	if (!fs.existsSync(MAILDIR)) return [];
	const out = [];
	for (const f of fs.readdirSync(MAILDIR)) {
		const file = path.join(MAILDIR, f);
		const raw = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
		const cut = raw.indexOf('\n\n');
		const head = raw.slice(0, cut).replace(/\n[ \t]+/g, ' ');
		const to = (head.match(/^To:\s*(.*)$/mi) || [])[1] || '';
		if (to.trim().toLowerCase() !== addr.toLowerCase()) continue;
		out.push({ file, mtime: fs.statSync(file).mtimeMs, subject: decodeWord((head.match(/^Subject:\s*(.*)$/mi) || [])[1] || ''), body: raw.slice(cut + 2) });
	}
	return out.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file));
}

// waitMail: the first mail to addr after the first `skip` ones whose body holds
// a link to linkPath; returns {subject, body, link}.
async function waitMail(addr, linkPath, skip = 0, ms = 30000) {
	const re = new RegExp(`https?://\\S*${linkPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*`);
	const until = Date.now() + ms;
	for (;;) {
		const found = mailsTo(addr).slice(skip).find((m) => re.test(m.body));
		if (found) return { ...found, link: found.body.match(re)[0] };
		if (Date.now() > until) throw new Error(`no mail to ${addr} with a link to ${linkPath} within ${ms / 1000} s (${mailsTo(addr).length} mails to it)`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

// --- SMS (issue 21: a member's phone number in settings) ------------------------------
// the texts the SMS catcher kept for a number (SMSDIR/*.json: {to, text}), oldest first
function smsTo(to) {
	if (!SMSDIR || !fs.existsSync(SMSDIR)) return [];
	return fs.readdirSync(SMSDIR).filter((f) => f.endsWith('.json')).sort()
		.map((f) => { try { return JSON.parse(fs.readFileSync(path.join(SMSDIR, f), 'utf8')); } catch { return {}; } })
		.filter((m) => m.to === to).map((m) => m.text || '');
}
// waitSmsCode: the 6-digit code of the (skip+1)th SMS to a number
async function waitSmsCode(to, skip = 0, ms = 30000) {
	const until = Date.now() + ms;
	for (;;) {
		const m = smsTo(to)[skip];
		const code = m && (m.match(/\b(\d{6})\b/) || [])[1];
		if (code) return code;
		if (Date.now() > until) throw new Error(`no SMS code to ${to} within ${ms / 1000} s (SMSDIR ${SMSDIR || 'not set'})`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

// --- a small PNG made here: the front of a business card ----------------------------
function crc32(buf) {
	let c, crc = 0xffffffff;
	for (let n = 0; n < buf.length; n++) {
		c = (crc ^ buf[n]) & 0xff;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		crc = (crc >>> 8) ^ c;
	}
	return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
	const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}
function cardPng(w = 340, h = 220) {
	const raw = Buffer.alloc((w * 3 + 1) * h);
	for (let y = 0; y < h; y++) {
		raw[y * (w * 3 + 1)] = 0;
		for (let x = 0; x < w; x++) {
			const o = y * (w * 3 + 1) + 1 + x * 3;
			const stripe = x < 24, line = y > 60 && y < 68 && x > 50 && x < 280;
			raw[o] = stripe ? 11 : line ? 40 : 250 - (y >> 3);
			raw[o + 1] = stripe ? 92 : line ? 50 : 248 - (x >> 4);
			raw[o + 2] = stripe ? 173 : line ? 70 : 240;
		}
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

// --- helpers on pages ----------------------------------------------------------------
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// a phone number as shown, whatever spaces or dashes the page puts between digits
const phoneRe = (e164) => new RegExp(e164.split('').map((c) => (c === '+' ? '\\+' : c)).join('[\\s\\u00a0()-]*'));

// within: the promise, or an error after ms (nothing in the walk may hang)
function within(ms, what, promise) {
	let timer;
	return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms); })])
		.finally(() => clearTimeout(timer));
}

// imageLoads: the image is shown (decoded, not broken)
async function imageLoads(img, what) {
	await img.waitFor();
	await img.scrollIntoViewIfNeeded();
	const loaded = await img.evaluate((el) => new Promise((resolve) => {
		if (el.complete) return resolve(el.naturalWidth > 0);
		el.addEventListener('load', () => resolve(true));
		el.addEventListener('error', () => resolve(false));
		setTimeout(() => resolve(el.naturalWidth > 0), 5000);
	}));
	if (!loaded) throw new Error(`${what} does not load`);
}

const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_SOURCE = fs.readFileSync(AXE_PATH, 'utf8');
const { chromium } = require('playwright-core');

class Walk {
	constructor(browser, locale, viewport, js = true) {
		this.browser = browser;
		this.locale = locale;
		this.js = js;	// false: JavaScript off in every context (the pages must work without it)
		this.L = strings(locale);
		this.viewport = viewport;
		// the browser's time zone (issue 21): livecard.js sends it as lc_tz; without
		// JavaScript, zh-CN pages fall back to Asia/Shanghai
		this.tz = locale === 'zh-CN' ? 'Asia/Shanghai' : 'America/New_York';
		this.dir = path.join(ARTIFACTS, `${locale}${js ? '' : '-nojs'}-${viewport.label}`);
		this.shot = 0;
		this.axeSeen = new Set();
		fs.rmSync(this.dir, { recursive: true, force: true });
		fs.mkdirSync(this.dir, { recursive: true });
	}

	tag(s) { return `[${this.locale}, ${this.viewport.label}${this.js ? '' : ', no JavaScript'}] ${s}`; }

	async person(who) {
		const opts = { javaScriptEnabled: this.js, locale: this.locale, viewport: this.viewport.size, baseURL: BASE,
			timezoneId: this.tz,
			extraHTTPHeaders: { 'Accept-Language': this.locale === 'en' ? 'en-US,en;q=0.9' : `${this.locale},zh;q=0.9` } };
		if (this.viewport.mobile) Object.assign(opts, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		const ctx = await this.browser.newContext(opts);
		ctx.setDefaultTimeout(TIMEOUT);
		const page = await ctx.newPage();
		page.who = who;
		page.on('pageerror', (err) => diag(`${who}: JavaScript error on ${page.url()}: ${err.message}`));
		return page;
	}

	// nav: the site header (banner) with its navigation lists (main and account)
	nav(page) { return page.getByRole('banner'); }

	// go: follow a link of the site navigation by its text (the first key that
	// exists; a count badge may follow the text)
	async go(page, ...keys) {
		await this.nav(page).getByRole('link', { name: new RegExp(`^\\s*${esc(this.L(...keys))}(\\s+\\d+)?\\s*$`) }).click();
		await page.waitForLoadState('load');
		await this.check(page);
	}

	// check: the page is in this walk's language and has no serious or critical
	// axe-core violations (each distinct page once per person and language).
	// check: lang and axe-core once per person, title and path; state names a
	// further state of the same page that axe-core must see too
	async check(page, state = '') {
		await page.waitForLoadState('load');
		const url = new URL(page.url());
		const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
		if (lang !== this.locale) {
			ok(false, this.tag(`${page.who}: ${url.pathname} is in <html lang="${this.locale}">`));
			diag(`  got lang="${lang}"`);
		}
		const key = `${page.who} ${await page.title()} ${url.pathname.replace(/\/\d+(?=\/|$)/g, '/N').replace(/\/c\/[^/]+/, '/c/TOKEN').replace(/token=[^&]+/, '')}${state ? ` [${state}]` : ''}`;
		if (this.axeSeen.has(key) || !this.js) return;	// axe-core needs JavaScript
		this.axeSeen.add(key);
		await page.evaluate(AXE_SOURCE);
		const res = await within(30000, `axe-core on ${url.pathname}`, page.evaluate(async () => {
			// eslint-disable-next-line no-undef
			const r = await axe.run(document, { resultTypes: ['violations'] });
			return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })) }));
		}));
		const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		ok(bad.length === 0, this.tag(`axe-core: no serious or critical violations on ${url.pathname}${state ? ` [${state}]` : ''} (${page.who})`));
		for (const v of bad) {
			diag(`  ${v.impact} ${v.id}: ${v.help} on ${page.url()}`);
			for (const n of v.nodes.slice(0, 8)) diag(`    ${n.target}  ${n.html}\n      ${(n.summary || '').replace(/\n/g, ' / ')}`);
		}
		for (const v of res.filter((x) => !bad.includes(x))) diag(`  (${v.impact} ${v.id} on ${url.pathname}: ${v.nodes.length} nodes)`);
	}

	async screenshot(page, name) {
		this.shot++;
		const file = path.join(this.dir, `${String(this.shot).padStart(2, '0')}-${name}.png`);
		await page.screenshot({ path: file, fullPage: true });
		diag(`screenshot ${path.relative(process.cwd(), file)}`);
		return file;
	}

	// step: run fn; one TAP line for it; the walk stops at the first failure
	async step(desc, fn, pages) {
		try {
			await fn();
			ok(true, this.tag(desc));
		} catch (err) {
			ok(false, this.tag(desc));
			diag(`  ${err.message.split('\n').slice(0, 6).join('\n  ')}`);
			for (const p of pages || []) {
				try {
					diag(`  ${p.who} was on ${p.url()}`);
					await this.screenshot(p, `FAILED-${p.who}`);
				} catch { /* the page may be gone */ }
			}
			throw err;
		}
	}

	async signUp(page, name, email, password) {
		const L = this.L;
		await page.goto('/');
		await this.check(page);
		await this.go(page, 'Nav.SignUp');
		await page.getByRole('heading', { name: L('SignUp.Title'), level: 1 }).waitFor();
		await page.getByLabel(L('Field.FullName'), { exact: true }).fill(name);
		await page.getByLabel(L('Field.Email'), { exact: true }).fill(email);
		await page.getByLabel(L('Field.Password'), { exact: true }).fill(password);
		const chosen = await page.getByLabel(L('Field.Language'), { exact: true }).inputValue();
		if (chosen !== this.locale) throw new Error(`the sign-up form offers language ${chosen}, not ${this.locale} from Accept-Language`);
		await page.getByRole('button', { name: L('SignUp.Submit'), exact: true }).click();
		await page.getByRole('heading', { name: L('Messages.check_mail.Title') }).waitFor();
		await this.check(page);
	}

	async verifyAndSignIn(page, email, password, shotName) {
		const L = this.L;
		const mail = await waitMail(email, '/verify?token=');
		if (mail.subject !== L('Mail.Verify.Subject')) throw new Error(`verification mail subject "${mail.subject}", expected "${L('Mail.Verify.Subject')}"`);
		await page.goto(mail.link);
		await page.getByRole('heading', { name: L('Messages.verified.Title') }).waitFor();
		await this.check(page);
		await this.screenshot(page, shotName);
		// issue 21: no dead end: on to sign-in with the address filled in, then
		// straight to making the card
		await page.getByRole('link', { name: L('Messages.Onward.SignIn'), exact: true }).click();
		await page.getByRole('heading', { name: L('SignIn.Title'), level: 1 }).waitFor();
		const filled = await page.getByLabel(L('Field.Email'), { exact: true }).inputValue();
		if (filled !== email) throw new Error(`the sign-in form after verifying holds "${filled}", not ${email}`);
		await page.getByLabel(L('Field.Password'), { exact: true }).fill(password);
		await page.getByRole('main').getByRole('button', { name: L('SignIn.Submit'), exact: true }).click();
		await page.getByRole('heading', { name: L('Card.Title'), level: 1 }).waitFor();
		if (new URL(page.url()).pathname !== '/card') throw new Error(`signed in on ${page.url()}, not the card editor`);
		await this.check(page);
		await this.go(page, 'Nav.Home');
		await page.getByRole('heading', { name: new RegExp(esc(L('Home.Hello'))), level: 1 }).waitFor();
		await this.check(page);
	}

	// the card editor: the "Value" control of the first row of a fieldset
	rowValue(page, fieldKey, n = 0) {
		return page.getByRole('group', { name: this.L(fieldKey), exact: true }).getByLabel(this.L('Card.Parts.value'), { exact: true }).nth(n);
	}

	async run() {
		const L = this.L;
		const zh = this.locale === 'zh-CN';
		const tagn = `${zh ? 'zh' : 'en'}${this.js ? '' : '-nojs'}-${this.viewport.label}-${RUN}`;	// fresh addresses on every run
		const A = { name: zh ? '王安娜' : 'Anna Archer', email: `anna-${tagn}@example.com`, password: `anna password ${tagn}` };
		const D = { name: zh ? '丁大卫' : 'David Dunn', email: `david-${tagn}@example.com`, password: `david password ${tagn}` };
		const N = { name: zh ? '牛娜娜' : 'Nora Nonmember', email: `nora-${tagn}@example.com` };
		const phone1 = zh ? '+8613800138000' : '+442071838750';
		const phone2 = zh ? '+8613900139111' : '+442079460123';
		const cardEmail = zh ? `wang.anna@example.cn` : 'anna@archer.example';
		diag(`--- ${this.locale}${this.js ? '' : ' without JavaScript'}: ${this.viewport.label} (${this.viewport.size.width}x${this.viewport.size.height}); screenshots in ${path.relative(process.cwd(), this.dir)}`);

		const a = await this.person('A');
		const d = await this.person('D');
		const n = await this.person('N');
		let shareUrl;

		await this.step('1. A and D sign up in the browser and verify by the mailed link', async () => {
			// keyboard: the first Tab of a page reaches the skip link, and focus shows
			await n.goto('/');
			await n.keyboard.press('Tab');
			const focus = await n.evaluate(() => {
				const el = document.activeElement, cs = getComputedStyle(el);
				return { text: el.textContent.trim(), href: el.getAttribute('href'), outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0, shadow: cs.boxShadow };
			});
			const ring = (focus.outline !== 'none' && focus.width >= 1) || (focus.shadow && focus.shadow !== 'none');
			ok(focus.text === L('Nav.Skip') && focus.href === '#main' && ring,
				this.tag('1a. keyboard: the first Tab reaches the skip link, with a visible focus ring'));
			if (!(focus.text === L('Nav.Skip') && ring)) diag(`  focus on "${focus.text}" (${focus.href}), outline ${focus.outline} ${focus.width}px, box-shadow ${focus.shadow}`);
			await this.signUp(a, A.name, A.email, A.password);
			if (zh) {
				const h1 = await a.getByRole('heading', { level: 1 }).textContent();
				if (!/[\u4e00-\u9fff]/.test(h1)) throw new Error(`zh-CN page heading "${h1}" has no Chinese`);
			}
			await this.screenshot(a, 'A-signed-up');
			await this.signUp(d, D.name, D.email, D.password);
			await this.verifyAndSignIn(a, A.email, A.password, 'A-verified');
			await a.getByRole('heading', { name: new RegExp(esc(A.name)), level: 1 }).waitFor();
			await this.screenshot(a, 'A-home');
			await this.verifyAndSignIn(d, D.email, D.password, 'D-verified');
			await this.screenshot(d, 'D-home');
		}, [a, d]);

		await this.step('2. A builds a card with name, phone, e-mail and a front image', async () => {
			await this.go(a, 'Nav.MyCard');
			const full = a.getByLabel(L('Card.Fields.full_name'), { exact: true });
			await full.fill(A.name);
			await this.rowValue(a, 'Card.Fields.emails').fill(cardEmail);
			await this.rowValue(a, 'Card.Fields.phones').fill(phone1);
			await a.getByLabel(L('Card.Fields.organization'), { exact: true }).fill(zh ? '活名片有限公司' : 'Livecard Ltd');
			// the live preview follows the form as A types (card.js), before any save
			if (this.js && L.has('Card.Preview.Title')) {
				const preview = a.getByRole('region', { name: L('Card.Preview.Title'), exact: true });
				await preview.getByText(phoneRe(phone1)).first().waitFor({ timeout: 5000 })
					.then(() => ok(true, this.tag('2a. the editor\'s preview shows the new phone number before saving')),
						(err) => { ok(false, this.tag('2a. the editor\'s preview shows the new phone number before saving')); diag(`  ${err.message.split('\n')[0]}`); });
			}
			await this.screenshot(a, 'A-editor-filled');
			await a.getByRole('button', { name: L('Card.Save'), exact: true }).click();
			await a.getByRole('status').filter({ hasText: L('Card.Saved') }).waitFor();
			await this.check(a);
			await a.getByRole('main').getByText(phoneRe(phone1)).first().waitFor();
			// 2c (issue 21): when it was saved, in A's own time zone: relative words,
			// the exact local time on hover, the instant in datetime
			const when = await a.getByRole('main').locator('time').first().evaluate((el) => ({ dt: el.getAttribute('datetime'), title: el.getAttribute('title'), text: el.textContent.trim() }));
			const zone = this.js || zh ? this.tz : 'UTC';
			const p2 = (n) => String(n).padStart(2, '0');
			const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
				.formatToParts(new Date(when.dt)).map((x) => [x.type, x.value]));
			const local = `${parts.year}-${p2(parts.month)}-${p2(parts.day)} ${parts.hour}:${parts.minute}`;
			const relative = [L('Time.JustNow'), L('Time.Minute')].includes(when.text) || new RegExp(`^${esc(L('Time.Minutes')).replace('#', '\\d+')}$`).test(when.text);
			ok(when.title && when.title.startsWith(local) && relative, this.tag(`2c. the card's time is relative ("${when.text}") with the local time in ${zone} on hover ("${when.title}")`));
			if (!(when.title && when.title.startsWith(local))) diag(`  expected the title to start with ${local} (${zone}); datetime ${when.dt}`);
			// the front image, on the images page (JS uploads with progress; without it, a plain form post)
			await a.getByRole('navigation', { name: L('Card.Nav.Label'), exact: true }).getByRole('link', { name: L('Card.Nav.Images'), exact: true }).click();
			await this.check(a);
			const file = a.getByLabel(L('Card.Images.ChooseFront', 'Card.Images.Choose'), { exact: true }).first();
			await file.setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: cardPng() });
			const form = a.locator('form').filter({ has: file });
			if (this.js && L.has('Card.Images.PreviewAlt')) {
				const shown = await a.getByRole('img', { name: L('Card.Images.PreviewAlt'), exact: true }).first()
					.waitFor({ timeout: 5000 }).then(() => true, () => false);
				ok(shown, this.tag('2b. the chosen image is previewed before it is uploaded'));
			}
			await this.screenshot(a, 'A-image-chosen');
			await form.getByRole('button', { name: L('Card.Images.Upload'), exact: true }).click();
			const img = a.getByRole('img', { name: L('Card.Public.FrontAlt'), exact: true }).first();
			await img.waitFor();
			await this.check(a);
			await imageLoads(img, 'the front image on the images page');
			await this.screenshot(a, 'A-card-with-image');
		}, [a]);

		await this.step('3. D opens A\'s public page from A\'s share link and saves it to the folder', async () => {
			await a.getByRole('navigation', { name: L('Card.Nav.Label'), exact: true }).getByRole('link', { name: L('Card.Nav.Share'), exact: true }).click();
			await this.check(a);
			const link = a.getByRole('main').getByRole('link', { name: new RegExp(`^${esc(BASE)}/c/[A-Za-z0-9_-]+$`) }).first();
			shareUrl = await link.getAttribute('href');
			if (shareUrl.startsWith('/')) shareUrl = BASE + shareUrl;
			diag(`  A's public page: ${shareUrl}`);
			await this.screenshot(a, 'A-share');
			// A keeps the savers page open while D saves the card (step 4)
			await this.go(a, 'Nav.Savers');
			if (this.js) await a.evaluate(() => { window.__livecardNoReload = true; });

			await d.goto(shareUrl);
			await this.check(d);
			await d.getByText(A.name, { exact: true }).first().waitFor();
			await d.getByRole('main').getByText(phoneRe(phone1)).first().waitFor();
			await imageLoads(d.getByRole('img', { name: L('Card.Public.FrontAlt'), exact: true }).first(), 'the front image on the public page');
			// issue 21: a signed-in member is not offered the non-member subscribe form
			if (await d.getByRole('heading', { name: L('Savers.Subscribe.Title'), exact: true }).count())
				throw new Error('the public page offers a signed-in member the subscribe form for non-members');
			await this.screenshot(d, 'D-public-page');
			await d.getByRole('button', { name: L('Card.Public.SaveCard'), exact: true }).click();
			await d.getByRole('status').filter({ hasText: L('Folder.Entry.Added') }).first().waitFor();
			await d.getByRole('heading', { name: A.name, level: 1 }).waitFor();
			await this.check(d);
			await this.screenshot(d, 'D-saved');
		}, [a, d]);

		await this.step(this.js ? '4. A sees the letter about D appear without a reload, and D on the savers list'
			: '4. A sees D on the savers list and the letter in the inbox', async () => {
			const listed = a.getByRole('main').getByRole('listitem').filter({ hasText: D.name });
			if (this.js) {
				const inbox = this.nav(a).getByRole('link', { name: new RegExp(`^${esc(L('Nav.Inbox', 'Savers.Inbox.Title'))}\\s*[1-9]`) });
				await inbox.waitFor({ timeout: LETTER_TIMEOUT });
				await a.getByRole('status').filter({ hasText: D.name }).first().waitFor({ timeout: LETTER_TIMEOUT });
				if (!(await a.evaluate(() => window.__livecardNoReload === true))) throw new Error('the savers page was reloaded');
				await this.screenshot(a, 'A-letter-live');
				// the savers list itself shows D, still without a reload
				await listed.first().waitFor({ timeout: LETTER_TIMEOUT });
				if (!(await a.evaluate(() => window.__livecardNoReload === true))) throw new Error('the savers page was reloaded');
			} else {
				await this.go(a, 'Nav.Savers');
				await listed.first().waitFor();
			}
			await listed.first().getByText(L('Savers.How.saved'), { exact: false }).waitFor();
			await this.screenshot(a, 'A-savers');
			await this.go(a, 'Nav.Inbox', 'Savers.Inbox.Title');
			await a.getByRole('main').getByText(D.name).first().waitFor();
			await this.screenshot(a, 'A-inbox');
		}, [a, d]);

		await this.step('5. N (not signed in) subscribes on A\'s public page and confirms by the mailed link', async () => {
			await n.goto(shareUrl);
			await this.check(n);
			await n.getByRole('heading', { name: L('Savers.Subscribe.Title'), exact: true }).waitFor();
			await n.getByLabel(L('Savers.Subscribe.Name'), { exact: true }).fill(N.name);
			await n.getByLabel(L('Savers.Subscribe.Email'), { exact: true }).fill(N.email);
			await this.screenshot(n, 'N-subscribe');
			await n.getByRole('button', { name: L('Savers.Subscribe.Submit'), exact: true }).click();
			await n.getByRole('heading', { name: L('Savers.Result.sent_email.Title'), exact: true }).waitFor();
			await this.check(n);
			const mail = await waitMail(N.email, '/s/confirm?token=');
			if (!mail.subject.includes(L('Savers.Mail.Confirm.Subject'))) throw new Error(`confirmation mail subject "${mail.subject}"`);
			await n.goto(mail.link);
			await this.check(n);
			await n.getByRole('heading', { name: L('Savers.Subscribe.ConfirmTitle'), exact: true }).waitFor();
			await n.getByRole('button', { name: L('Savers.Subscribe.Confirm'), exact: true }).click();
			await n.getByRole('heading', { name: L('Savers.Result.confirmed.Title'), exact: true }).waitFor();
			await this.check(n);
			await this.screenshot(n, 'N-confirmed');
		}, [n]);

		let nMails = 0;
		await this.step('6. A changes the phone number in the editor and saves', async () => {
			nMails = mailsTo(N.email).length;
			await this.go(a, 'Nav.MyCard');
			const ph = this.rowValue(a, 'Card.Fields.phones');
			if (!phoneRe(phone1).test(await ph.inputValue())) throw new Error(`the editor shows phone "${await ph.inputValue()}", not ${phone1}`);
			await ph.fill(phone2);
			await a.getByRole('button', { name: L('Card.Save'), exact: true }).click();
			await a.getByRole('status').filter({ hasText: L('Card.Saved') }).waitFor();
			await a.getByRole('main').getByText(phoneRe(phone2)).first().waitFor();
			await this.check(a);
			await this.screenshot(a, 'A-phone-changed');
		}, [a]);

		await this.step('7. D sees the pending update (before/after) in the updates inbox and accepts it', async () => {
			await this.go(d, 'Nav.Updates');
			const upd = d.getByRole('main').getByRole('article').filter({ has: d.getByRole('heading', { name: new RegExp(esc(A.name)) }) });
			await upd.waitFor();
			await upd.getByRole('columnheader', { name: L('Updates.Yours'), exact: true }).waitFor();
			await upd.getByRole('columnheader', { name: L('Updates.Theirs'), exact: true }).waitFor();
			const row = upd.getByRole('row').filter({ has: d.getByRole('rowheader', { name: L('Card.Fields.phones'), exact: true }) });
			const cells = row.getByRole('cell');
			const before = await cells.nth(0).textContent(), after = await cells.nth(1).textContent();
			if (!phoneRe(phone1).test(before)) throw new Error(`"before" shows "${before.trim()}", not ${phone1}`);
			if (!phoneRe(phone2).test(after)) throw new Error(`"after" shows "${after.trim()}", not ${phone2}`);
			await this.screenshot(d, 'D-update-pending');
			await upd.getByRole('button', { name: L('Updates.Accept'), exact: true }).click();
			await d.getByRole('status').first().waitFor();
			await this.check(d);
			if (await d.getByRole('main').getByRole('article').filter({ has: d.getByRole('heading', { name: new RegExp(esc(A.name)) }) }).count())
				throw new Error('the update is still listed after accepting it');
			await this.screenshot(d, 'D-update-accepted');
		}, [d]);

		await this.step('8. N\'s mail holds the link to the card; it shows the new number', async () => {
			const slug = new URL(shareUrl).pathname;
			const mail = await waitMail(N.email, slug, nMails);
			if (!mail.subject.includes(A.name)) throw new Error(`update mail subject "${mail.subject}" does not name ${A.name}`);
			if (!mail.body.includes(L('Card.Fields.phones'))) throw new Error(`the update mail does not say "${L('Card.Fields.phones')}" changed`);
			diag(`  mail to N: "${mail.subject}" → ${mail.link}`);
			await n.goto(mail.link);
			await this.check(n);
			await n.getByRole('main').getByText(phoneRe(phone2)).first().waitFor();
			if (await n.getByRole('main').getByText(phoneRe(phone1)).count()) throw new Error('the public page still shows the old number');
			await this.screenshot(n, 'N-new-number');
		}, [n]);

		await this.step('9. D\'s folder shows the new number, and its search finds the card', async () => {
			await this.go(d, 'Nav.Folder');
			const item = d.getByRole('main').getByRole('listitem').filter({ hasText: A.name });
			await item.first().waitFor();
			await item.first().getByText(phoneRe(phone2)).waitFor();
			const q = d.getByRole('searchbox', { name: L('Folder.SearchLabel'), exact: true });
			const query = zh ? A.name.slice(0, 2) : A.name.slice(0, 4);
			let live = false;
			if (this.js) {
				// search as you type (folder.js): a query that matches nothing empties
				// the list, then A's name brings the card back, all without a page load
				await d.evaluate(() => { window.__livecardNoReload = true; });
				await q.pressSequentially('qqzx', { delay: 50 });
				live = await d.getByRole('main').getByText(L('Folder.NoMatch'), { exact: true }).first()
					.waitFor({ timeout: 5000 }).then(() => true, () => false);
				if (live) {
					await q.fill('');
					await q.pressSequentially(query, { delay: 50 });
					live = await item.first().waitFor({ timeout: 5000 }).then(() => true, () => false);
				}
				live = live && (await d.evaluate(() => window.__livecardNoReload === true));
				ok(live, this.tag('9a. the folder filters as you type, without a page load'));
				if (!live) diag('  (typing in the folder search did not filter the list in place)');
			}
			if (!live) {	// the search form, submitted
				await q.fill(query);
				await d.getByRole('button', { name: L('Folder.Search'), exact: true }).click();
				await d.waitForURL(/[?&]q=/);
				await this.check(d);
			}
			await item.first().getByText(phoneRe(phone2)).waitFor();
			await this.screenshot(d, 'D-folder');
			await item.first().getByRole('link', { name: A.name }).first().click();
			await d.getByRole('heading', { name: A.name, level: 1 }).waitFor();
			await d.getByRole('main').getByText(phoneRe(phone2)).first().waitFor();
			await this.check(d);
			await this.screenshot(d, 'D-folder-entry');
		}, [d]);

		await this.step('9b. D saves a card; A types D\'s paper card into the folder, is offered to keep it up to date from D\'s card, and links it', async () => {
			const title = zh ? '采购经理' : 'Purchasing manager';
			await this.go(d, 'Nav.MyCard');
			await d.getByLabel(L('Card.Fields.full_name'), { exact: true }).fill(D.name);
			await this.rowValue(d, 'Card.Fields.emails').fill(D.email);
			await d.getByLabel(L('Card.Fields.title'), { exact: true }).fill(title);
			await d.getByRole('button', { name: L('Card.Save'), exact: true }).click();
			await d.getByRole('status').filter({ hasText: L('Card.Saved') }).waitFor();
			// from paper: only the name and the e-mail address
			await a.goto('/folder/new');
			await this.check(a);
			await a.getByLabel(L('Card.Fields.full_name'), { exact: true }).fill(D.name);
			await this.rowValue(a, 'Card.Fields.emails').fill(D.email);
			await a.getByRole('button', { name: L('Folder.NewCard.Save'), exact: true }).click();
			await a.getByRole('heading', { name: D.name, level: 1 }).waitFor();
			const keep = a.getByRole('button', { name: L('Folder.Entry.OfferLink'), exact: true });
			await keep.waitFor();
			await this.check(a);
			await this.screenshot(a, 'A-offer');
			await keep.click();
			await a.getByRole('status').filter({ hasText: L('Folder.Entry.Linked') }).waitFor();
			await a.getByRole('main').getByText(title).first().waitFor();
			await this.check(a);
			await this.screenshot(a, 'A-linked');
			// "search all members" that finds nobody new says so (D is a saver already)
			await this.go(a, 'Nav.Savers');
			await a.getByRole('button', { name: L('Savers.Search'), exact: true }).click();
			await a.getByRole('status').filter({ hasText: L('Savers.FoundNone') }).waitFor();
			await this.check(a);
		}, [a, d]);

		await this.step('9c. D changes the card A linked; A declines, D changes it again, and A still finds the declined change and takes it', async () => {
			const title2 = zh ? '采购总监' : 'Purchasing director';
			const org = zh ? '丁氏贸易' : 'Dunn Trading';
			await this.go(d, 'Nav.MyCard');
			await d.getByLabel(L('Card.Fields.title'), { exact: true }).fill(title2);
			await d.getByRole('button', { name: L('Card.Save'), exact: true }).click();
			await d.getByRole('status').filter({ hasText: L('Card.Saved') }).waitFor();
			await this.go(a, 'Nav.Updates');
			const pending = a.getByRole('article').filter({ has: a.getByRole('heading', { name: D.name, level: 3 }) });
			await pending.first().getByText(title2).first().waitFor();
			await this.screenshot(a, 'A-update-of-D');
			await pending.first().getByRole('button', { name: L('Updates.Decline'), exact: true }).click();
			await a.getByRole('status').filter({ hasText: L('Updates.Done.declined') }).waitFor();
			await this.check(a);
			// D changes another detail: A is asked about it, and the declined title stays listed
			await d.getByLabel(L('Card.Fields.organization'), { exact: true }).fill(org);
			await d.getByRole('button', { name: L('Card.Save'), exact: true }).click();
			await d.getByRole('status').filter({ hasText: L('Card.Saved') }).waitFor();
			await this.go(a, 'Nav.Updates');
			await a.getByRole('heading', { name: L('Updates.DeclinedTitle'), level: 2 }).waitFor();
			const declined = a.locator(`article[id^="declined-"]`).filter({ hasText: title2 });
			await declined.first().waitFor();
			await a.locator(`article[id^="update-"]`).filter({ hasText: org }).first().waitFor();
			await this.check(a);
			await this.screenshot(a, 'A-pending-and-declined');
			await declined.first().getByRole('button', { name: L('Updates.AcceptDeclined'), exact: true }).click();
			await a.getByRole('status').filter({ hasText: L('Updates.Done.accepted_declined') }).waitFor();
			await this.check(a);
			// the copy has the title now, the organization is still asked about
			await a.locator(`article[id^="update-"]`).filter({ hasText: org }).first().waitFor();
			if (await a.locator('article[id^="declined-"]').count()) throw new Error('the declined change is still listed after taking it');
		}, [a, d]);

		await this.step('9d. a signed-out link to /updates: a wrong password keeps where D was going, the right one takes D there', async () => {
			const d2 = await this.person('D2');
			try {
				await d2.goto('/updates');
				await d2.getByRole('heading', { name: L('SignIn.Title'), level: 1 }).waitFor();
				await d2.getByLabel(L('Field.Email'), { exact: true }).fill(D.email);
				await d2.getByLabel(L('Field.Password'), { exact: true }).fill(`${D.password} wrong`);
				await d2.getByRole('main').getByRole('button', { name: L('SignIn.Submit'), exact: true }).click();
				await d2.getByText(L('Errors.bad_credentials')).first().waitFor();
				await this.check(d2);
				await this.screenshot(d2, 'D-wrong-password');
				await d2.getByLabel(L('Field.Password'), { exact: true }).fill(D.password);
				await d2.getByRole('main').getByRole('button', { name: L('SignIn.Submit'), exact: true }).click();
				await d2.getByRole('heading', { name: L('Updates.Title'), level: 1 }).waitFor();
				if (!new URL(d2.url()).pathname.startsWith('/updates')) throw new Error(`signed in on ${d2.url()}, not /updates`);
				await this.check(d2);
			} finally {
				await d2.context().close();
			}
		}, [a, d]);

		if (this.js) await this.step('10. the other pages pass axe-core too (settings, history, new card, import, reset, unsubscribe)', async () => {
			await this.go(a, 'Nav.Settings');
			await this.screenshot(a, 'A-settings');
			await this.go(a, 'Nav.MyCard');
			await a.getByRole('navigation', { name: L('Card.Nav.Label'), exact: true }).getByRole('link', { name: L('Card.Nav.History'), exact: true }).click();
			await this.check(a);
			await this.screenshot(a, 'A-history');
			const rev = a.getByRole('main').getByRole('link', { name: /^\d+$/ });
			if (await rev.count()) {
				await rev.first().click();
				await this.check(a);
			}
			for (const p of ['/folder/new', '/folder/import']) {
				await d.goto(p);
				await this.check(d);
			}
			const mail = mailsTo(N.email).at(-1);
			const unsub = mail && mail.body.match(/https?:\/\/\S*\/s\/unsubscribe\/\S+/);
			if (unsub) {
				await n.goto(unsub[0]);
				await this.check(n);
				await this.screenshot(n, 'N-unsubscribe');
			}
			for (const p of ['/signin', '/reset']) {
				await n.goto(p);
				await this.check(n);
			}
		}, [a, d, n]);

		await this.step('11. A makes a new link (asked first, told what stops working); N\'s old link shows a friendly page', async () => {
			await this.go(a, 'Nav.MyCard');
			await a.getByRole('navigation', { name: L('Card.Nav.Label'), exact: true }).getByRole('link', { name: L('Card.Nav.Share'), exact: true }).click();
			await a.getByRole('main').getByRole('link', { name: L('Card.Share.Rotate'), exact: true }).click();
			await a.getByRole('alert').filter({ hasText: L('Card.Share.RotateAsk') }).waitFor();
			await this.check(a);
			await this.screenshot(a, 'A-new-link-confirm');
			await a.getByRole('button', { name: L('Card.Share.RotateConfirm'), exact: true }).click();
			await a.getByRole('status').filter({ hasText: L('Card.Share.Rotated') }).waitFor();
			await this.check(a);
			const resp = await n.goto(shareUrl);
			if (resp.status() !== 404) throw new Error(`the old link answers ${resp.status()}, not 404`);
			await n.getByRole('heading', { name: L('LinkGone.Title'), level: 1 }).waitFor();
			await n.getByText(L('LinkGone.Text')).waitFor();
			await this.check(n);
			await this.screenshot(n, 'N-link-gone');
			// the updates page as D sees it, and D's settings with the time zone
			await this.go(d, 'Nav.Updates');
			await this.screenshot(d, 'D-updates');
			await this.go(d, 'Nav.Settings');
			const tzField = d.getByLabel(L('Settings.TimeZone'), { exact: true });
			const tzValue = await tzField.inputValue();
			if (this.js && tzValue !== this.tz) throw new Error(`the time-zone setting holds "${tzValue}", not the browser's ${this.tz}`);
			await this.screenshot(d, 'D-settings');
		}, [a, d, n]);

		await this.step('12. D confirms a phone number in settings, then removes it (asked first, told what stops); A saves three times: D gets one letter', async () => {
			const phone = `+86138${String(Date.now() % 100000000).padStart(8, '0')}`;
			await this.go(d, 'Nav.Settings');
			await d.getByLabel(L('Savers.Phone.Number'), { exact: true }).fill(phone);
			await d.getByRole('button', { name: L('Savers.Phone.Send'), exact: true }).click();
			await d.getByRole('status').filter({ hasText: L('Savers.Phone.Sent') }).waitFor();
			await d.getByLabel(L('Savers.Phone.Code'), { exact: true }).fill(await waitSmsCode(phone));
			await d.getByRole('button', { name: L('Savers.Phone.Verify'), exact: true }).click();
			await d.getByRole('status').filter({ hasText: L('Savers.Phone.Done') }).waitFor();
			await this.check(d, 'a confirmed phone');
			await this.screenshot(d, 'D-phone-confirmed');
			const remove = d.getByRole('link', { name: new RegExp(`^${esc(L('Savers.Phone.Remove'))}\\s`) });
			if (await remove.count() !== 1) throw new Error(`${await remove.count()} Remove links for one number`);
			await remove.click();
			await d.getByRole('alert').filter({ hasText: L('Savers.Phone.RemoveAsk') }).waitFor();
			await d.getByText(L('Savers.Phone.RemoveStops')).waitFor();
			await this.check(d, 'asked to remove the phone');
			await this.screenshot(d, 'D-phone-remove-confirm');
			await d.getByRole('button', { name: L('Savers.Phone.RemoveConfirm'), exact: true }).click();
			await d.getByRole('status').filter({ hasText: L('Savers.Phone.Removed') }).waitFor();
			if (await d.getByText(phoneRe(phone)).count() !== 0) throw new Error('the removed number is still listed');
			await this.check(d, 'the phone removed');
			await this.screenshot(d, 'D-phone-removed');
			// the letters list: one letter per change burst (issue 21). D reads
			// every letter; A saves her card three times in a row; once the
			// fan-out is quiet, D has one unread letter about it, not three
			await d.goto('/inbox');
			const markAll = d.getByRole('button', { name: L('Savers.Inbox.MarkAllRead'), exact: true });
			if (await markAll.count()) {
				await markAll.click();
				await d.getByRole('heading', { level: 1 }).first().waitFor();
			}
			await this.go(a, 'Nav.MyCard');
			for (const t of ['Burst 1', 'Burst 2', 'Burst 3']) {
				await a.getByLabel(L('Card.Fields.title'), { exact: true }).fill(t);
				await a.getByRole('button', { name: L('Card.Save'), exact: true }).click();
				await a.getByRole('status').filter({ hasText: L('Card.Saved') }).waitFor();
			}
			let about = [], stable = 0;
			for (const until = Date.now() + LETTER_TIMEOUT * 2; Date.now() < until && stable < 4;) {
				const res = await d.request.get('/api/v1/notifications?unread=1');
				const got = ((await res.json()).notifications || []).filter((x) => x.kind === 'card.update' || x.kind === 'card.updated');
				stable = got.length && got.length === about.length ? stable + 1 : 0;
				about = got;
				await new Promise((r) => setTimeout(r, 1500));
			}
			if (about.length !== 1) throw new Error(`${about.length} unread letters about A's three saves, not one`);
			await d.goto('/inbox');
			await d.getByText(about[0].text.slice(0, 20)).first().waitFor();
			await this.check(d);
			await this.screenshot(d, 'D-letters-one-per-burst');
		}, [a, d, n]);

		// issue 21 (U3): a large import is a background job with its own page
		await this.step('13. D imports a large vCard file: a wait page with the count and a progress bar, then the result with links to the cards', async () => {
			const many = 600, stamp = Date.now();
			let vcf = '';
			for (let i = 1; i <= many; i++) {
				vcf += `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Walk Import ${i}\r\nEMAIL:walk-${stamp}-${i}@example.org\r\nEND:VCARD\r\n`;
			}
			await this.go(d, 'Nav.Folder');
			await d.getByRole('main').getByRole('link', { name: L('Folder.Import'), exact: true }).click();
			await d.getByRole('heading', { name: L('Folder.ImportPage.Title'), level: 1 }).waitFor();
			await d.getByLabel(L('Folder.ImportPage.File'), { exact: true })
				.setInputFiles({ name: 'many.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcf) });
			await d.getByRole('button', { name: L('Folder.ImportPage.Submit'), exact: true }).click();
			await d.getByRole('heading', { name: L('Folder.ImportJob.Title'), level: 1 }).waitFor();
			if (!/^\/folder\/import\/\d+$/.test(new URL(d.url()).pathname)) throw new Error(`the import went on at ${d.url()}, not its job's page`);
			// "Importing: 300 of 600 cards", the page refreshing itself (or polling)
			const counting = new RegExp(`^\\s*${esc(L('Folder.ImportJob.Before'))} [1-9][0-9,]* ${esc(L('Folder.ImportJob.Middle'))} 600 ${esc(L('Folder.ImportJob.After'))}\\s*$`);
			await d.getByRole('status').filter({ hasText: counting }).waitFor({ timeout: 30000 });
			await d.getByRole('progressbar').waitFor();
			await this.check(d, 'an import running');
			await this.screenshot(d, 'D-import-wait');
			await d.getByRole('heading', { name: L('Folder.ImportPage.Done'), level: 2 }).waitFor({ timeout: 120000 });
			await d.getByRole('link', { name: 'Walk Import 1', exact: true }).waitFor();
			const imported = (await d.getByRole('main').locator('li').filter({ hasText: L('Folder.ImportPage.Imported') }).first().innerText()).trim();
			if (!imported.startsWith(String(many))) throw new Error(`the result says "${imported}", not ${many} new cards`);
			await this.check(d, 'an import done');
			await this.screenshot(d, 'D-import-result');
		}, [d]);

		await this.step('14. D photographs A\'s paper card: the card is read while D waits, its fields beside the photo; D corrects the title and saves: the entry has the photo, the corrected title, and is marked as a member\'s card', async () => {
			// the paper card: drawn by the OCR test set's generator (tests/ocr), with
			// A's verified address, so that it is a member's card
			const cardJson = path.join(this.dir, 'paper-card.json'), cardImg = path.join(this.dir, 'paper-card.png');
			fs.writeFileSync(cardJson, JSON.stringify({
				lang: zh ? 'zh' : 'en', layout: 'left', font: 0, name: A.name,
				title: zh ? '销售总监' : 'Sales Director', organization: zh ? '活名片有限公司' : 'Livecard Ltd',
				address: '', phones: [], email: A.email, url: '',
			}));
			execFileSync('/usr/bin/python3', [path.join(TOP, 'tests/ocr/gen-cards.py'), '--card', cardJson, cardImg]);
			await this.go(d, 'Nav.Folder');
			await d.getByRole('main').getByRole('link', { name: L('Scan.Add'), exact: true }).click();
			await d.getByRole('heading', { name: L('Scan.Title'), level: 1 }).waitFor();
			await this.check(d, 'the scan form');
			await d.getByLabel(L('Folder.Entry.Front'), { exact: true })
				.setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: fs.readFileSync(cardImg) });
			const t0 = Date.now();
			await d.getByRole('button', { name: L('Scan.Read'), exact: true }).click();
			// the wait page (if the worker is not done first), then the review by
			// itself: script polls, without it the page refreshes
			await d.getByRole('heading', { name: L('Scan.Review'), level: 1 }).waitFor({ timeout: 60000 });
			diag(`  the card was read in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
			await imageLoads(d.getByRole('img', { name: L('Folder.Entry.Front'), exact: true }).first(), 'the photo beside the fields');
			await this.check(d, 'the scan review');
			await this.screenshot(d, 'D-scan-review');
			const name = d.getByLabel(L('Card.Fields.full_name'), { exact: true });
			const read = await name.inputValue();
			if (read !== A.name) diag(`  the name was read as "${read}"; D corrects it too`);
			if (read !== A.name) await name.fill(A.name);
			const org = await d.getByLabel(L('Card.Fields.organization'), { exact: true }).inputValue();
			if (org !== (zh ? '活名片有限公司' : 'Livecard Ltd')) diag(`  the organisation was read as "${org}"`);
			const email = this.rowValue(d, 'Card.Fields.emails');
			const readEmail = await email.inputValue();
			if (readEmail !== A.email) diag(`  the e-mail address was read as "${readEmail}"; D corrects it too`);
			if (readEmail !== A.email) await email.fill(A.email);
			// the one correction: A's new title, written on the card by hand
			const title = d.getByLabel(L('Card.Fields.title'), { exact: true });
			diag(`  the title was read as "${await title.inputValue()}"`);
			const newTitle = zh ? '销售副总裁' : 'VP of Sales';
			await title.fill(newTitle);
			await d.getByRole('button', { name: L('Scan.Save'), exact: true }).click();
			await d.getByRole('heading', { name: A.name, level: 1 }).waitFor();
			if (!/^\/folder\/\d+$/.test(new URL(d.url()).pathname)) throw new Error(`saved to ${d.url()}, not the entry's page`);
			await imageLoads(d.getByRole('img', { name: L('Folder.Entry.FrontAlt'), exact: true }).first(), 'the saved entry\'s photo');
			await d.getByRole('main').getByText(L('Folder.Badge.Member'), { exact: true }).first().waitFor();
			await d.getByRole('main').getByText(A.email).first().waitFor();
			await d.getByRole('main').getByText(newTitle).first().waitFor();
			await this.check(d, 'a scanned card saved');
			await this.screenshot(d, 'D-scan-saved');
		}, [d]);

		await Promise.all([a, d, n].map((p) => p.context().close()));
	}
}

const VIEWPORTS = {
	desktop: { label: 'desktop', size: { width: 1280, height: 900 }, mobile: false },
	phone: { label: 'phone', size: { width: 390, height: 844 }, mobile: true },
};

const started = Date.now();
const browser = await chromium.launch({
	executablePath: CHROMIUM,
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
	for (const [i, spec] of LANGS.entries()) {
		const [locale, ...opts] = spec.split(':');
		const mode = opts.includes('nojs') ? 'nojs' : '';
		const screen = process.env.VIEWPORT || opts.find((o) => VIEWPORTS[o]) || (i % 2 === 0 ? 'desktop' : 'phone');
		const vp = VIEWPORTS[screen];
		const t0 = Date.now();
		try {
			await new Walk(browser, locale, vp, mode !== 'nojs').run();
		} catch (err) {
			diag(`the ${locale} walk stopped: ${err.message.split('\n')[0]}`);
		}
		diag(`${spec} walk: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}
} finally {
	await browser.close();
}
diag(`browser walk: ${((Date.now() - started) / 1000).toFixed(1)} s, ${failures} failed`);
process.exit(failures ? 1 : 0);
