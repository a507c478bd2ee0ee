import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import type { MappingPage } from '../bindings';
import { AppError, backend, INTERNAL, isErrorPayload, toAppError } from './backend';

afterEach(() => {
  clearMocks();
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

describe('toAppError', () => {
  it('passes the back end’s {code, message} through unchanged', () => {
    const error = toAppError({ code: 'token_refused', message: 'The client secret was refused.' }, 'browse_mappings');
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('token_refused');
    expect(error.message).toBe('The client secret was refused.');
    expect(error.toPayload()).toEqual({ code: 'token_refused', message: 'The client secret was refused.' });
  });

  it('returns an AppError as it is', () => {
    const original = new AppError('x', 'y');
    expect(toAppError(original)).toBe(original);
  });

  it('turns a bare string from Tauri into "internal" with the text and a next step', () => {
    mockIPC(() => null);
    const error = toAppError('command browse_mappings not found', 'browse_mappings');
    expect(error.code).toBe(INTERNAL);
    expect(error.message).toContain('fetching learners from the identity provider');
    expect(error.message).toContain('command browse_mappings not found.');
    expect(error.message).toContain('Open logs folder');
  });

  it('uses the message of a JavaScript error', () => {
    mockIPC(() => null);
    const error = toAppError(new TypeError('x is not a function'), 'list_activity');
    expect(error.code).toBe(INTERNAL);
    expect(error.message).toContain('loading the activity log: x is not a function.');
  });

  it('still says something useful for a value with nothing to say', () => {
    mockIPC(() => null);
    for (const reason of [undefined, null, 42, {}, '   ', { code: 1, message: 2 }]) {
      const error = toAppError(reason);
      expect(error.code).toBe(INTERNAL);
      expect(error.message).toMatch(/^Something unexpected went wrong while talking to its back end\. Try again\./);
    }
  });

  it('explains when the screens are not running inside the Crosswalk app', () => {
    const error = toAppError(new TypeError("Cannot read properties of undefined (reading 'invoke')"), 'app_info');
    expect(error.code).toBe(INTERNAL);
    expect(error.message).toContain('only work inside the Crosswalk app');
    expect(error.message).toContain("reading Crosswalk's own settings");
  });
});

describe('isErrorPayload', () => {
  it('accepts only a non-empty string code and message', () => {
    expect(isErrorPayload({ code: 'a', message: 'b' })).toBe(true);
    expect(isErrorPayload({ code: 'a', message: 'b', extra: 1 })).toBe(true);
    expect(isErrorPayload({ code: '', message: 'b' })).toBe(false);
    expect(isErrorPayload({ code: 'a' })).toBe(false);
    expect(isErrorPayload('a')).toBe(false);
    expect(isErrorPayload(null)).toBe(false);
  });
});

describe('backend commands', () => {
  it('call the named command with camelCase arguments and return its result', async () => {
    const page: MappingPage = {
      provider_id: 'saml-demo-univ',
      page: 2,
      page_size: 100,
      count: 3003,
      num_pages: 31,
      results: [{ username: 'learner0101', remote_id: 'u-101' }],
      envelope: 'current',
      fetched_at: '2025-03-14T09:41:07Z',
    };
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return page;
    });
    const result = await backend.browseMappings({
      connectionId: 'demo-openedx',
      providerId: 'saml-demo-univ',
      page: 2,
      pageSize: 100,
    });
    expect(result).toEqual(page);
    expect(seen).toEqual([
      ['browse_mappings', { connectionId: 'demo-openedx', providerId: 'saml-demo-univ', page: 2, pageSize: 100 }],
    ]);
  });

  it('wrap the activity query in `query`', async () => {
    const seen: unknown[] = [];
    mockIPC((_cmd, args) => {
      seen.push(args);
      return { entries: [], total: 0, actions: [] };
    });
    const query = { text: 'token', action: null, outcome: 'error' as const, since: null, limit: 500 };
    await backend.listActivity(query);
    expect(seen).toEqual([{ query }]);
  });

  it('reject with an AppError carrying the back end’s code', async () => {
    mockIPC(() => {
      throw { code: 'remote_unavailable', message: 'Open edX did not answer. Press Retry in a minute.' };
    });
    const failure = backend.listConnections();
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({
      code: 'remote_unavailable',
      message: 'Open edX did not answer. Press Retry in a minute.',
    });
  });

  it('reject with an "internal" AppError for anything else', async () => {
    mockIPC(() => {
      throw 'Command open_logs_folder not allowed by ACL';
    });
    await expect(backend.openLogsFolder()).rejects.toMatchObject({
      code: INTERNAL,
      message: expect.stringContaining('opening the logs folder: Command open_logs_folder not allowed by ACL.') as unknown,
    });
  });

  it('reject helpfully when there is no back end at all', async () => {
    await expect(backend.appInfo()).rejects.toMatchObject({
      code: INTERNAL,
      message: expect.stringContaining('only work inside the Crosswalk app') as unknown,
    });
  });
});
