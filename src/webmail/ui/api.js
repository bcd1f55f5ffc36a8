// The JSON API client (docs/webmail-api.md): one place that adds the CSRF header, turns error bodies into
// readable messages and reports an expired session, so no other module deals with HTTP details.

let csrfToken = '';
export function setCsrf(token) { csrfToken = token || ''; }

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// Called once per 401 so the app can go back to the login form with an explanation.
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

function friendlyStatus(status) {
  if (status === 0) return 'The mail server cannot be reached. Check your connection and try again.';
  if (status === 401) return 'Your session has expired. Please sign in again.';
  if (status === 403) return 'The request was refused (security token mismatch). Reload the page and try again.';
  if (status === 404) return 'That folder or message no longer exists.';
  if (status === 413) return 'That is too large for the server.';
  if (status === 502) return 'The mail server is not answering right now. Try again in a moment.';
  return `The server answered with an error (${status}).`;
}

async function errorFrom(response) {
  let message = '';
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') message = body.error;
  } catch { /* not JSON: fall back to a generic message */ }
  return new ApiError(response.status, message || friendlyStatus(response.status));
}

export function query(params) {
  const usp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    usp.set(k, v === true ? '1' : String(v));
  }
  return usp.toString();
}

// method, path (with query), optional JSON body. Resolves to the parsed JSON answer.
export async function api(method, path, body, { quietUnauthorized = false, keepalive = false } = {}) {
  const init = { method, headers: {}, credentials: 'same-origin', keepalive };
  if (method !== 'GET') init.headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json; charset=utf-8';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, friendlyStatus(0));
  }
  if (!response.ok) {
    const err = await errorFrom(response);
    if (response.status === 401 && !quietUnauthorized) onUnauthorized(err);
    throw err;
  }
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

export async function getText(path) {
  let response;
  try { response = await fetch(path, { credentials: 'same-origin' }); } catch { throw new ApiError(0, friendlyStatus(0)); }
  if (!response.ok) {
    const err = await errorFrom(response);
    if (response.status === 401) onUnauthorized(err);
    throw err;
  }
  return response.text();
}

// Uploads one file as raw bytes. XMLHttpRequest because fetch cannot report upload progress.
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/upload?' + query({ filename: file.name, type: file.type || 'application/octet-stream' }));
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText || '{}'); } catch { /* keep generic */ }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(body); return; }
      const err = new ApiError(xhr.status, (body && body.error) || friendlyStatus(xhr.status));
      if (xhr.status === 401) onUnauthorized(err);
      reject(err);
    };
    xhr.onerror = () => reject(new ApiError(0, friendlyStatus(0)));
    xhr.send(file);
  });
}
