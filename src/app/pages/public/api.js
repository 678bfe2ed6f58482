// The pages' only way to the server: /api, with the session cookie the sign-in set (HttpOnly, SameSite=Strict).
// Errors arrive as RFC 9457 problem details; they are thrown as ApiError with the field issues kept.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `请求失败（${status}）`);
    this.status = status;
    this.title = body?.title ?? '';
    this.detail = body?.detail ?? this.message;
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
  }
}

/** Called when the session is gone (401): the shell shows the sign-in page. */
let onUnauthenticated = () => {};
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

export async function api(method, path, body) {
  const init = { method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(0, { detail: '无法连接服务器，请检查网络后重试' });
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  if (!res.ok) {
    const error = new ApiError(res.status, data);
    if (res.status === 401 && path !== '/session') onUnauthenticated(error);
    throw error;
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);

/** A query string from the defined values of `params`. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * POSTs a FormData to /api with upload progress (issue 16): `onProgress(loaded, total)` as the bytes go out. fetch()
 * reports no upload progress, so this one request uses XMLHttpRequest, with the same errors as `api`.
 */
export function upload(path, data, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener('error', () =>
      reject(new ApiError(0, { detail: '无法连接服务器，请检查网络后重试' })),
    );
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = { detail: xhr.responseText };
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      const error = new ApiError(xhr.status, body);
      if (xhr.status === 401) onUnauthenticated(error);
      reject(error);
    });
    xhr.send(data);
  });
}
