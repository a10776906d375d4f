/** Where calls to one cloud API go: a host (with an optional port) and the protocol to reach it. */
export interface ApiEndpoint {
  /** `host` or `host:port`, as the SDKs' `endpoint` takes it. */
  host: string;
  protocol: 'http' | 'https';
}

const HOST_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Reads an endpoint setting: `arms-vpc.cn-hangzhou.aliyuncs.com`, `host:port` or a URL
 * (`http://127.0.0.1:8080`). A bare host is reached over HTTPS. Throws naming the setting.
 */
export function parseEndpointSetting(value: string, settingName: string): ApiEndpoint {
  const text = value.trim();
  // A URL's user part may hold a password: messages never repeat it.
  const shown = withoutUserInfo(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`${settingName} "${shown}" is not a valid URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${settingName} "${shown}" must use http or https.`);
    }
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.username || url.password) {
      throw new Error(`${settingName} "${shown}" must be a host or a URL without path, query or user.`);
    }
    return { host: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
  }
  if (!HOST_PATTERN.test(text)) {
    throw new Error(`${settingName} "${shown}" is not a host, host:port or http(s) URL.`);
  }
  return { host: text, protocol: 'https' };
}

/** The text with any `user:password@` of a URL replaced by `***@`. */
function withoutUserInfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}
