'use strict';

// Thin HTTP front for the telegram-test-api Bot API emulator.
//
// The emulator runs in this process on an internal loopback port; this front
// listens on the public port and:
//   * parses multipart/form-data (what github.com/go-telegram/bot sends for
//     every method) and urlencoded bodies and forwards them as JSON;
//   * long-polls getUpdates until an update is pending or `timeout` ends,
//     and honours its offset: updates handed out but not confirmed by a
//     later offset are sent again, as Telegram does;
//   * stubs methods the emulator lacks (sendPhoto, sendDocument,
//     setMyCommands, ...) and records what the bot did;
//   * makes edits observable (editMessageText really replaces text and
//     reply_markup) and returns Telegram-shaped Message objects;
//   * adds /test/* routes for tests (simulated users, redelivery, reading).
//
// Test routes (JSON in, {ok, result} out; `token` selects the bot):
//   POST /test/sendMessage  {token, from, chat_id, text[, date]} -> {update_id, message_id}
//   POST /test/sendCommand  {token, from, chat_id, text}      (adds a bot_command entity)
//   POST /test/sendDocument {token, from, chat_id, file_name, mime_type, data_base64, caption}
//                           a private or group message with a document (and caption)
//   POST /test/pressButton  {token, from, chat_id, message_id, data}
//                           (the message must show a button with that callback_data)
//   POST /test/redeliver    {update_id}   re-queue a delivered update (409 if not delivered yet)
//   GET  /test/botMessages?chat_id=&token=   bot messages as they are now (files base64)
//   GET  /test/commands     current setMyCommands state per scope + language_code
//   GET  /test/updates?token=   user updates with delivery state
//   GET  /test/stats        request counts per bot method
//   GET  /test/calls?method=    recorded bot method calls (getUpdates only counted)
// Files users sent (beyond the emulator):
//   bot method getFile      {file_id} -> {file_id, file_unique_id, file_size,
//                           file_path: "documents/<file_id>_<file_name>"}
//   GET  /file/bot<token>/<file_path>   the file's bytes (404 if unknown; counted
//                           in /test/stats as fileDownload)
// The emulator's own client routes (/sendMessage, /sendCommand, /sendCallback,
// /getUpdates, /getUpdatesHistory) still pass through unchanged.
//
// Usage: node front.js --port 0 [--host 127.0.0.1] [--exit-on-stdin-close]
// Prints "listening <port>" as the first line on stdout once ready.
// Exits on SIGTERM/SIGINT and, with --exit-on-stdin-close, when stdin closes
// (so a parent that dies without cleaning up does not leave it running).

const http = require('http');
const { EventEmitter } = require('events');
// The package exports the TelegramServer class itself (module.exports = TelegramServer).
const TelegramServer = require('telegram-test-api');

const debugEnabled = !!process.env.TGEMU_DEBUG;
function debug(...args) {
  if (debugEnabled) {
    process.stderr.write(`[tgemu] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  }
}

process.on('unhandledRejection', (err) => {
  // The emulator calls async functions without awaiting them; never let one
  // of their assertion failures bring the whole front down.
  process.stderr.write(`[tgemu] unhandled rejection: ${err && err.stack ? err.stack : err}\n`);
});

// ---------------------------------------------------------------------------
// Emulator

// storeTimeout only matters for the cleanup daemon, which runs after
// server.start(); we never call start() (it would turn port 0 into 9000),
// so stored messages never expire during a test.
const tg = new TelegramServer({ host: '127.0.0.1', storeTimeout: 24 * 3600 });
let emulatorBase = '';

const BOT_NAME = { first_name: 'Test First name', username: 'TestNameBot' };

// ---------------------------------------------------------------------------
// Front state

const stats = Object.create(null); // method -> request count
const calls = []; // {method, params, time} for every bot method except getUpdates
const commandSets = []; // current setMyCommands state, in first-set order
const knownChats = new Map(); // chat id -> chat object seen in user updates
const userFiles = new Map(); // file_id -> {token, fileId, uniqueId, name, mimeType, size, data} sent by users
let nextFileId = 1;
const wake = new EventEmitter(); // 'update' when a user update may be pending
wake.setMaxListeners(0);
['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'].forEach((ev) => {
  tg.on(ev, () => wake.emit('update'));
});

// ---------------------------------------------------------------------------
// Body parsing

const JSON_FIELDS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'commands', 'scope',
  'allowed_updates', 'reply_parameters', 'link_preview_options', 'media',
  'results', 'options', 'permissions', 'explanation_entities', 'reaction',
  'menu_button', 'rights', 'message_ids', 'text_entities',
]);
const INT_FIELDS = new Set([
  'chat_id', 'message_id', 'from_chat_id', 'reply_to_message_id', 'timeout',
  'offset', 'limit', 'user_id', 'message_thread_id', 'cache_time',
  'update_id', 'width', 'height', 'duration',
]);
const BOOL_FIELDS = new Set([
  'show_alert', 'disable_notification', 'protect_content',
  'disable_web_page_preview', 'allow_sending_without_reply', 'is_personal',
  'drop_pending_updates', 'has_spoiler', 'show_caption_above_media',
  'allow_paid_broadcast', 'disable_content_type_detection', 'for_channels',
]);

function convertField(name, value) {
  if (typeof value !== 'string') return value;
  if (JSON_FIELDS.has(name)) {
    try {
      return JSON.parse(value);
    } catch (_e) {
      return value;
    }
  }
  if (INT_FIELDS.has(name) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOL_FIELDS.has(name) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function headerParam(header, name) {
  // name="value" with backslash escapes (Go's mime/multipart escapes \ and "),
  // or an unquoted token.
  const quoted = new RegExp(`(?:^|;)\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = new RegExp(`(?:^|;)\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  return bare ? bare[1] : undefined;
}

// parseMultipart returns {fields, files}; files map a field name to
// {filename, contentType, data: Buffer}. An empty body (go-telegram/bot sends
// one for parameterless methods such as getMe) yields no fields.
function parseMultipart(buf, boundary) {
  const fields = {};
  const files = {};
  const delim = Buffer.from(`--${boundary}`);
  const partEnd = Buffer.from(`\r\n--${boundary}`);
  let pos = buf.indexOf(delim);
  if (pos < 0) return { fields, files };
  for (;;) {
    pos += delim.length;
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) break; // closing "--"
    if (buf[pos] === 0x0d && buf[pos + 1] === 0x0a) pos += 2;
    const headerEnd = buf.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('malformed multipart body: no header end');
    const headers = {};
    buf.subarray(pos, headerEnd).toString('utf8').split('\r\n').forEach((line) => {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    });
    const bodyStart = headerEnd + 4;
    const next = buf.indexOf(partEnd, bodyStart);
    if (next < 0) throw new Error('malformed multipart body: unterminated part');
    const data = buf.subarray(bodyStart, next);
    const disposition = headers['content-disposition'] || '';
    const name = headerParam(disposition, 'name');
    if (name !== undefined) {
      const filename = headerParam(disposition, 'filename');
      if (filename !== undefined) {
        files[name] = {
          filename,
          contentType: headers['content-type'] || 'application/octet-stream',
          data: Buffer.from(data),
        };
      } else {
        fields[name] = data.toString('utf8');
      }
    }
    pos = next + 2; // points at the next "--boundary"
  }
  return { fields, files };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// parseRequest merges the query string and the body into {params, files}.
async function parseRequest(req, url) {
  const raw = await readBody(req);
  const params = {};
  let files = {};
  url.searchParams.forEach((v, k) => { params[k] = v; });
  const ctype = String(req.headers['content-type'] || '').toLowerCase();
  if (ctype.startsWith('multipart/form-data')) {
    const boundary = headerParam(String(req.headers['content-type']), 'boundary');
    if (!boundary) throw new Error('multipart body without boundary');
    const parsed = parseMultipart(raw, boundary);
    Object.assign(params, parsed.fields);
    files = parsed.files;
  } else if (ctype.startsWith('application/x-www-form-urlencoded')) {
    new URLSearchParams(raw.toString('utf8')).forEach((v, k) => { params[k] = v; });
  } else if (raw.length > 0 && raw.toString('utf8').trim() !== '') {
    const body = JSON.parse(raw.toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(params, body);
  }
  Object.keys(params).forEach((k) => { params[k] = convertField(k, params[k]); });
  return { params, files };
}

// ---------------------------------------------------------------------------
// Helpers

function send(res, status, obj) {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function ok(res, result) {
  send(res, 200, { ok: true, result });
}

function fail(res, code, description) {
  send(res, code, { ok: false, error_code: code, description });
}

async function forward(path, body) {
  const r = await fetch(emulatorBase + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch (_e) {
    json = { message: text };
  }
  return { status: r.status, json };
}

function botPath(token, method) {
  return `/bot${encodeURIComponent(token)}/${method}`;
}

function botUser(token) {
  const id = Number(String(token).split(':')[0]);
  return { id: Number.isSafeInteger(id) && id > 0 ? id : 666, is_bot: true, ...BOT_NAME };
}

function chatObject(chatId) {
  const known = knownChats.get(String(chatId));
  if (known) return { ...known };
  const id = Number(chatId);
  if (!Number.isFinite(id)) return { id: 0, type: 'channel', username: String(chatId).replace(/^@/, '') };
  if (id > 0) return { id, type: 'private', first_name: 'User' };
  return { id, type: String(chatId).startsWith('-100') ? 'supergroup' : 'group', title: 'Test group' };
}

function findBotEntry(token, chatId, messageId) {
  return tg.storage.botMessages.find((u) => u.botToken === token
    && String(u.message.chat_id) === String(chatId)
    && String(u.messageId) === String(messageId));
}

function inlineMarkup(markup) {
  if (markup && typeof markup === 'object' && Array.isArray(markup.inline_keyboard)) return markup;
  return undefined;
}

// buildMessage turns a stored bot message into a Telegram Message object.
function buildMessage(entry) {
  const m = entry.message;
  const msg = {
    message_id: entry.messageId,
    from: botUser(entry.botToken),
    chat: chatObject(m.chat_id),
    date: Math.floor(entry.time / 1000),
  };
  if (entry.editTime) msg.edit_date = Math.floor(entry.editTime / 1000);
  if (typeof m.text === 'string') msg.text = m.text;
  if (Array.isArray(m.entities)) msg.entities = m.entities;
  if (typeof m.caption === 'string' && m.caption !== '') msg.caption = m.caption;
  if (Array.isArray(m.caption_entities)) msg.caption_entities = m.caption_entities;
  const f = entry.tgemuFile;
  if (f) {
    const size = f.data ? f.data.length : 0;
    const unique = `u${entry.messageId}`;
    if (f.kind === 'photo') {
      msg.photo = [{ file_id: f.fileId, file_unique_id: unique, width: 640, height: 480, file_size: size }];
    } else {
      msg.document = { file_id: f.fileId, file_unique_id: unique, file_name: f.filename, mime_type: f.contentType, file_size: size };
    }
  }
  const markup = inlineMarkup(m.reply_markup);
  if (markup) msg.reply_markup = markup;
  return msg;
}

function recordCall(method, params, files) {
  const rec = { method, params, time: Date.now() };
  const names = Object.keys(files || {});
  if (names.length) {
    rec.files = names.map((n) => ({ field: n, filename: files[n].filename, size: files[n].data.length }));
  }
  calls.push(rec);
}

function scopeKey(scope, lang) {
  const s = scope || { type: 'default' };
  return JSON.stringify([s.type || 'default', s.chat_id || 0, s.user_id || 0, lang || '']);
}

function normalizeScope(scope) {
  const s = scope && typeof scope === 'object' ? scope : { type: 'default' };
  const out = { type: s.type || 'default' };
  if (s.chat_id !== undefined) {
    const n = Number(s.chat_id);
    if (Number.isFinite(n)) out.chat_id = n; else out.chat_username = String(s.chat_id);
  }
  if (s.user_id !== undefined) out.user_id = Number(s.user_id);
  return out;
}

// ---------------------------------------------------------------------------
// Bot-side methods (/bot<token>/<method>)

function pendingFor(token) {
  return tg.storage.userMessages.some((u) => u.botToken === token && !u.isRead);
}

// waitPending resolves when an update is pending for token, the timeout (in
// seconds) ends, or the client goes away.
function waitPending(token, timeoutSec, res) {
  return new Promise((resolve) => {
    if (pendingFor(token) || timeoutSec <= 0) {
      resolve();
      return;
    }
    let timer = null;
    const done = () => {
      clearTimeout(timer);
      wake.off('update', onUpdate);
      res.off('close', done);
      resolve();
    };
    const onUpdate = () => { if (pendingFor(token)) done(); };
    timer = setTimeout(done, timeoutSec * 1000);
    wake.on('update', onUpdate);
    res.on('close', done);
  });
}

// confirmUpdates applies getUpdates' offset as Telegram does: updates
// before it are confirmed and never sent again; updates handed out before
// but not confirmed (the poll that got them was abandoned, or the bot
// stopped before finishing them) are sent again.
function confirmUpdates(token, offset) {
  for (const u of tg.storage.userMessages) {
    if (u.botToken !== token) continue;
    if (offset > 0 && u.updateId < offset) {
      u.tgemuConfirmed = true;
    } else if (u.isRead && !u.tgemuConfirmed) {
      u.isRead = false;
    }
  }
}

async function getUpdates(token, params, res) {
  const timeout = Math.max(0, Math.min(Number(params.timeout) || 0, 600));
  confirmUpdates(token, Number(params.offset) || 0);
  await waitPending(token, timeout, res);
  if (res.destroyed || res.writableEnded) return; // do not consume updates nobody will read
  const r = await forward(botPath(token, 'getUpdates'), params);
  if (!r.json || r.json.ok !== true) {
    fail(res, 500, `emulator getUpdates failed: ${JSON.stringify(r.json)}`);
    return;
  }
  const updates = (r.json.result || []).map((u) => {
    if (u.message) {
      const m = { ...u.message };
      delete m.botToken;
      u.message = m;
    }
    if (u.callback_query) u.callback_query.chat_instance = String(u.callback_query.message && u.callback_query.message.chat ? u.callback_query.message.chat.id : 0);
    return u;
  });
  debug('getUpdates ->', updates.map((u) => u.update_id));
  ok(res, updates);
}

function storeBotMessage(token, message) {
  const msg = tg.addBotMessage(message, token);
  return tg.storage.botMessages.find((u) => u.botToken === token && u.messageId === msg.message_id);
}

function sendFile(kind, token, params, files, res) {
  if (params.chat_id === undefined || params.chat_id === '') {
    fail(res, 400, 'Bad Request: chat_id is empty');
    return;
  }
  const file = files[kind];
  const ref = params[kind];
  if (!file && (typeof ref !== 'string' || ref === '')) {
    fail(res, 400, `Bad Request: there is no ${kind} in the request`);
    return;
  }
  const message = { ...params };
  delete message[kind];
  delete message.thumbnail;
  const entry = storeBotMessage(token, message);
  entry.tgemuFile = {
    kind,
    fileId: file ? `file-${kind}-${entry.messageId}` : ref,
    ref: file ? '' : ref,
    filename: file ? file.filename : '',
    contentType: file ? file.contentType : '',
    data: file ? file.data : null,
  };
  ok(res, buildMessage(entry));
}

async function editMessage(method, token, params, res) {
  if (params.inline_message_id) {
    fail(res, 400, 'Bad Request: inline messages are not supported by the emulator');
    return;
  }
  const entry = findBotEntry(token, params.chat_id, params.message_id);
  if (!entry) {
    fail(res, 400, 'Bad Request: message to edit not found');
    return;
  }
  if (method === 'editMessageText' && (typeof params.text !== 'string' || params.text === '')) {
    fail(res, 400, 'Bad Request: message text is empty');
    return;
  }
  if (method === 'editMessageCaption') {
    const m = entry.message;
    if (typeof params.caption === 'string') m.caption = params.caption; else delete m.caption;
    if (params.caption_entities) m.caption_entities = params.caption_entities; else delete m.caption_entities;
    if (params.parse_mode) m.parse_mode = params.parse_mode;
  } else {
    // editMessageText and editMessageReplyMarkup exist in the emulator.
    const r = await forward(botPath(token, method), params);
    if (!r.json || r.json.ok !== true) {
      fail(res, 500, `emulator ${method} failed: ${JSON.stringify(r.json)}`);
      return;
    }
    if (method === 'editMessageText' && !params.entities) delete entry.message.entities;
  }
  // Telegram drops the inline keyboard when an edit carries no reply_markup;
  // the emulator keeps it (and ignores a reply_markup without inline_keyboard).
  if (!inlineMarkup(params.reply_markup)) delete entry.message.reply_markup;
  else entry.message.reply_markup = params.reply_markup;
  entry.edited = true;
  entry.editCount = (entry.editCount || 0) + 1;
  entry.editTime = Date.now();
  ok(res, buildMessage(entry));
}

async function passThrough(method, token, params, res) {
  const r = await forward(botPath(token, method), params);
  const j = r.json || {};
  if (j.ok === true) {
    ok(res, j.result === null || j.result === undefined ? true : j.result);
    return;
  }
  const message = j.description || j.message || `HTTP ${r.status}`;
  if (/is not supported/.test(message)) {
    fail(res, 404, `Not Found: method ${method} is not supported by the emulator`);
    return;
  }
  fail(res, j.error_code || 500, message);
}

async function handleBot(token, rawMethod, req, res, url) {
  const { params, files } = await parseRequest(req, url);
  const method = METHOD_NAMES.get(rawMethod.toLowerCase()) || rawMethod;
  stats[method] = (stats[method] || 0) + 1;
  if (method !== 'getUpdates') recordCall(method, params, files);
  debug('bot', method, params);

  switch (method) {
    case 'getUpdates':
      await getUpdates(token, params, res);
      return;
    case 'getMe': {
      const r = await forward(botPath(token, 'getMe'), {});
      const me = { ...(r.json && r.json.result), ...botUser(token) };
      me.can_join_groups = true;
      me.can_read_all_group_messages = false;
      me.supports_inline_queries = false;
      ok(res, me);
      return;
    }
    case 'sendMessage': {
      if (params.chat_id === undefined || params.chat_id === '') {
        fail(res, 400, 'Bad Request: chat_id is empty');
        return;
      }
      if (typeof params.text !== 'string' || params.text === '') {
        fail(res, 400, 'Bad Request: message text is empty');
        return;
      }
      const r = await forward(botPath(token, 'sendMessage'), params);
      if (!r.json || r.json.ok !== true) {
        fail(res, 500, `emulator sendMessage failed: ${JSON.stringify(r.json)}`);
        return;
      }
      const entry = tg.storage.botMessages.find((u) => u.botToken === token && u.messageId === r.json.result.message_id);
      ok(res, entry ? buildMessage(entry) : r.json.result);
      return;
    }
    case 'sendPhoto':
      sendFile('photo', token, params, files, res);
      return;
    case 'sendDocument':
      sendFile('document', token, params, files, res);
      return;
    case 'editMessageText':
    case 'editMessageReplyMarkup':
    case 'editMessageCaption':
      await editMessage(method, token, params, res);
      return;
    case 'answerCallbackQuery':
      if (!params.callback_query_id) {
        fail(res, 400, 'Bad Request: query_id is empty');
        return;
      }
      await passThrough(method, token, params, res);
      return;
    case 'deleteMessage': {
      // Done here rather than by the emulator, whose lookup can match a
      // callback_query update (those reuse the next message id) instead of
      // the bot message with that id.
      const bi = tg.storage.botMessages.findIndex((u) => u.botToken === token
        && String(u.message.chat_id) === String(params.chat_id)
        && String(u.messageId) === String(params.message_id));
      if (bi >= 0) {
        tg.storage.botMessages.splice(bi, 1);
        ok(res, true);
        return;
      }
      const ui = tg.storage.userMessages.findIndex((u) => u.botToken === token && u.message
        && u.message.chat && String(u.message.chat.id) === String(params.chat_id)
        && String(u.messageId) === String(params.message_id));
      if (ui >= 0) {
        // The update stays queued (Telegram does not retract delivered or
        // pending updates); there is no stored copy of user messages to drop.
        ok(res, true);
        return;
      }
      fail(res, 400, 'Bad Request: message to delete not found');
      return;
    }
    case 'setMyCommands': {
      if (!Array.isArray(params.commands)) {
        fail(res, 400, 'Bad Request: commands must be an array');
        return;
      }
      const scope = normalizeScope(params.scope);
      const lang = params.language_code || '';
      const key = scopeKey(scope, lang);
      const set = { scope, language_code: lang, commands: params.commands, key };
      const i = commandSets.findIndex((c) => c.key === key);
      if (i >= 0) commandSets[i] = set; else commandSets.push(set);
      ok(res, true);
      return;
    }
    case 'deleteMyCommands': {
      const key = scopeKey(normalizeScope(params.scope), params.language_code || '');
      const i = commandSets.findIndex((c) => c.key === key);
      if (i >= 0) commandSets.splice(i, 1);
      ok(res, true);
      return;
    }
    case 'getMyCommands': {
      const key = scopeKey(normalizeScope(params.scope), params.language_code || '');
      const set = commandSets.find((c) => c.key === key);
      ok(res, set ? set.commands : []);
      return;
    }
    case 'sendChatAction':
    case 'setMyDescription':
    case 'setMyShortDescription':
    case 'setMyName':
    case 'setChatMenuButton':
    case 'close':
    case 'logOut':
      ok(res, true);
      return;
    case 'getWebhookInfo':
      ok(res, { url: '', has_custom_certificate: false, pending_update_count: 0 });
      return;
    case 'getFile': {
      const f = userFiles.get(String(params.file_id || ''));
      if (!f || f.token !== token) {
        fail(res, 400, 'Bad Request: invalid file_id');
        return;
      }
      ok(res, { file_id: f.fileId, file_unique_id: f.uniqueId, file_size: f.size, file_path: filePath(f) });
      return;
    }
    default:
      await passThrough(method, token, params, res);
  }
}

const METHOD_NAMES = new Map([
  'getUpdates', 'getMe', 'sendMessage', 'sendPhoto', 'sendDocument',
  'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption',
  'answerCallbackQuery', 'setMyCommands', 'deleteMyCommands', 'getMyCommands',
  'sendChatAction', 'setMyDescription', 'setMyShortDescription', 'setMyName',
  'setChatMenuButton', 'close', 'logOut', 'getWebhookInfo', 'deleteWebhook',
  'setWebhook', 'deleteMessage', 'getFile',
].map((m) => [m.toLowerCase(), m]));

// ---------------------------------------------------------------------------
// Test-side routes (/test/*)

// Simulated user sends are serialized so the update each one created can be
// identified (the emulator's client routes answer with result null).
let userQueue = Promise.resolve();
function serialized(fn) {
  const run = userQueue.then(fn, fn);
  userQueue = run.catch(() => {});
  return run;
}

function userObject(from) {
  const f = from || {};
  const u = { id: Number(f.id) || 1, is_bot: false, first_name: f.first_name || 'User' };
  if (f.username) u.username = f.username;
  if (f.language_code) u.language_code = f.language_code;
  return u;
}

function userChat(chatId, user) {
  const id = Number(chatId);
  if (id > 0) {
    const c = { id, type: 'private', first_name: user.first_name };
    if (user.username) c.username = user.username;
    return c;
  }
  return { id, type: String(chatId).startsWith('-100') ? 'supergroup' : 'group', title: 'Test group' };
}

function lastUserUpdate(token) {
  const list = tg.storage.userMessages;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].botToken === token) return list[i];
  }
  return undefined;
}

function describeUpdate(u) {
  const out = {
    update_id: u.updateId, delivered: !!u.isRead, confirmed: !!u.tgemuConfirmed, redelivered: u.tgemuRedelivered || 0,
  };
  if (u.callbackQuery) {
    out.kind = 'callback_query';
    out.chat_id = u.callbackQuery.message && u.callbackQuery.message.chat ? u.callbackQuery.message.chat.id : 0;
    out.message_id = u.callbackQuery.message ? u.callbackQuery.message.message_id : 0;
    out.data = u.callbackQuery.data;
    out.from_id = u.callbackQuery.from ? u.callbackQuery.from.id : 0;
  } else {
    out.kind = 'message';
    out.chat_id = u.message.chat ? u.message.chat.id : 0;
    out.message_id = u.messageId;
    out.text = u.message.text;
    out.from_id = u.message.from ? u.message.from.id : 0;
  }
  return out;
}

function filePath(f) {
  return `documents/${f.fileId}_${f.name}`;
}

// userSend queues a user message: text (kind 'message' or 'command') or a
// document with an optional caption (kind 'document').
async function userSend(kind, body) {
  const token = body.token;
  if (!token) throw Object.assign(new Error('token is required'), { status: 400 });
  const text = String(body.text || '');
  if (text === '' && kind !== 'document') throw Object.assign(new Error('text is required'), { status: 400 });
  const from = userObject(body.from);
  const chat = userChat(body.chat_id, from);
  if (chat.type === 'private') knownChats.set(String(chat.id), chat);
  const message = {
    botToken: token,
    from,
    chat,
    // A test may say when the user sent it (seconds since the epoch).
    date: Number(body.date) > 0 ? Math.floor(Number(body.date)) : Math.floor(Date.now() / 1000),
  };
  if (kind === 'document') {
    const name = String(body.file_name || '');
    if (name === '') throw Object.assign(new Error('file_name is required'), { status: 400 });
    const data = Buffer.from(String(body.data_base64 || ''), 'base64');
    const n = nextFileId++;
    const f = {
      token,
      fileId: `user-document-${n}`,
      uniqueId: `ud${n}`,
      name,
      mimeType: String(body.mime_type || 'application/octet-stream'),
      size: data.length,
      data,
    };
    userFiles.set(f.fileId, f);
    message.document = {
      file_id: f.fileId, file_unique_id: f.uniqueId, file_name: f.name, mime_type: f.mimeType, file_size: f.size,
    };
    const caption = String(body.caption || '');
    if (caption !== '') message.caption = caption;
  } else {
    message.text = text;
  }
  let route = '/sendMessage';
  if (kind === 'command') {
    if (!text.startsWith('/')) throw Object.assign(new Error('a command must start with "/"'), { status: 400 });
    const m = /\s/.exec(text);
    message.entities = [{ type: 'bot_command', offset: 0, length: m ? m.index : text.length }];
    route = '/sendCommand';
  }
  return serialized(async () => {
    const r = await forward(route, message);
    if (!r.json || r.json.ok !== true) throw new Error(`emulator ${route} failed: ${JSON.stringify(r.json)}`);
    const u = lastUserUpdate(token);
    return { update_id: u.updateId, message_id: u.messageId };
  });
}

async function pressButton(body) {
  const token = body.token;
  if (!token) throw Object.assign(new Error('token is required'), { status: 400 });
  const entry = findBotEntry(token, body.chat_id, body.message_id);
  if (!entry) {
    throw Object.assign(new Error(`no bot message ${body.message_id} in chat ${body.chat_id}`), { status: 400 });
  }
  const markup = inlineMarkup(entry.message.reply_markup);
  const data = String(body.data || '');
  const found = markup && markup.inline_keyboard.some((row) => Array.isArray(row)
    && row.some((b) => b && b.callback_data === data));
  if (!found) {
    throw Object.assign(new Error(`message ${body.message_id} in chat ${body.chat_id} has no inline button with callback data ${JSON.stringify(data)}`), { status: 400 });
  }
  const from = userObject(body.from);
  const callback = {
    botToken: token,
    from,
    message: buildMessage(entry),
    data,
    date: Math.floor(Date.now() / 1000),
  };
  return serialized(async () => {
    const r = await forward('/sendCallback', callback);
    if (!r.json || r.json.ok !== true) throw new Error(`emulator /sendCallback failed: ${JSON.stringify(r.json)}`);
    const u = lastUserUpdate(token);
    return { update_id: u.updateId, callback_query_id: String(u.callbackId) };
  });
}

function redeliver(body) {
  const id = Number(body.update_id);
  const u = tg.storage.userMessages.find((x) => x.updateId === id);
  if (!u) throw Object.assign(new Error(`no user update ${id}`), { status: 404 });
  if (!u.isRead) throw Object.assign(new Error(`update ${id} has not been delivered yet`), { status: 409 });
  u.isRead = false;
  u.tgemuRedelivered = (u.tgemuRedelivered || 0) + 1;
  wake.emit('update');
  return true;
}

function botMessages(url) {
  const chatId = url.searchParams.get('chat_id');
  const token = url.searchParams.get('token');
  return tg.storage.botMessages
    .filter((u) => (!token || u.botToken === token) && (chatId === null || String(u.message.chat_id) === chatId))
    .map((u) => {
      const m = u.message;
      const f = u.tgemuFile;
      return {
        message_id: u.messageId,
        chat_id: Number(m.chat_id),
        text: typeof m.text === 'string' ? m.text : '',
        caption: typeof m.caption === 'string' ? m.caption : '',
        parse_mode: m.parse_mode || '',
        reply_markup: m.reply_markup || null,
        edited: !!u.edited,
        edit_count: u.editCount || 0,
        date: Math.floor(u.time / 1000),
        photo: f && f.kind === 'photo' && f.data ? f.data.toString('base64') : '',
        document: f && f.kind === 'document' && f.data ? f.data.toString('base64') : '',
        document_name: f && f.kind === 'document' ? f.filename : '',
        file_ref: f ? f.ref : '',
      };
    });
}

async function handleTest(path, req, res, url) {
  const { params } = await parseRequest(req, url);
  try {
    switch (`${req.method} ${path}`) {
      case 'POST /test/sendMessage':
        ok(res, await userSend('message', params));
        return;
      case 'POST /test/sendCommand':
        ok(res, await userSend('command', params));
        return;
      case 'POST /test/sendDocument':
        ok(res, await userSend('document', params));
        return;
      case 'POST /test/pressButton':
        ok(res, await pressButton(params));
        return;
      case 'POST /test/redeliver':
        ok(res, redeliver(params));
        return;
      case 'GET /test/botMessages':
        ok(res, botMessages(url));
        return;
      case 'GET /test/commands':
        ok(res, commandSets.map((c) => ({ scope: c.scope, language_code: c.language_code, commands: c.commands })));
        return;
      case 'GET /test/updates': {
        const token = url.searchParams.get('token');
        ok(res, tg.storage.userMessages.filter((u) => !token || u.botToken === token).map(describeUpdate));
        return;
      }
      case 'GET /test/stats':
        ok(res, { requests: stats });
        return;
      case 'GET /test/calls': {
        const method = url.searchParams.get('method');
        ok(res, calls.filter((c) => !method || c.method === method));
        return;
      }
      default:
        fail(res, 404, `Not Found: ${req.method} ${path}`);
    }
  } catch (err) {
    fail(res, err.status || 500, err.message);
  }
}

// ---------------------------------------------------------------------------
// File downloads (/file/bot<token>/<file_path>)

function serveFile(token, path, res) {
  stats.fileDownload = (stats.fileDownload || 0) + 1;
  for (const f of userFiles.values()) {
    if (f.token === token && filePath(f) === path) {
      res.writeHead(200, { 'content-type': f.mimeType, 'content-length': f.data.length });
      res.end(f.data);
      return;
    }
  }
  send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
}

// ---------------------------------------------------------------------------
// Server

async function handle(req, res) {
  const url = new URL(req.url, 'http://front.invalid');
  const path = url.pathname;
  const bot = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z]+)$/.exec(path);
  if (bot) {
    await handleBot(decodeURIComponent(bot[1]), bot[2], req, res, url);
    return;
  }
  if (path.startsWith('/test/')) {
    await handleTest(path, req, res, url);
    return;
  }
  const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
  if (file && req.method === 'GET') {
    serveFile(decodeURIComponent(file[1]), decodeURIComponent(file[2]), res);
    return;
  }
  if (path === '/healthz') {
    ok(res, true);
    return;
  }
  // The emulator's own client routes (/sendMessage, /sendCommand,
  // /sendCallback, /getUpdates, /getUpdatesHistory) pass through as JSON.
  const { params } = await parseRequest(req, url);
  const r = await forward(path, params);
  send(res, r.status, r.json);
}

function parseArgs(argv) {
  const out = { port: 0, host: '127.0.0.1', exitOnStdinClose: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') out.port = Number(argv[++i]);
    else if (argv[i] === '--host') out.host = argv[++i];
    else if (argv[i] === '--exit-on-stdin-close') out.exitOnStdinClose = true;
  }
  return out;
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const inner = http.createServer(tg.webServer);
  const innerPort = await listen(inner, 0, '127.0.0.1');
  emulatorBase = `http://127.0.0.1:${innerPort}`;

  const front = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      process.stderr.write(`[tgemu] ${req.method} ${req.url}: ${err && err.stack ? err.stack : err}\n`);
      fail(res, 500, `emulator front error: ${err && err.message ? err.message : err}`);
    });
  });
  front.keepAliveTimeout = 65 * 1000;
  front.requestTimeout = 0; // long polls may last as long as the client asks
  const port = await listen(front, args.port, args.host);
  process.stdout.write(`listening ${port}\n`);

  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (args.exitOnStdinClose) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

main().catch((err) => {
  process.stderr.write(`[tgemu] startup failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
