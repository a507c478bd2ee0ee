import { describe, expect, it } from 'vitest';
import type { RosterRow } from '../bindings';
import {
  contextWins,
  emptyLaunchForm,
  launchRequestOf,
  missingLearner,
  optionalField,
  rosterLaunchRequest,
  userRefOf,
  type LaunchForm,
} from './launchRequest';

const form = (patch: Partial<LaunchForm>): LaunchForm => ({ ...emptyLaunchForm, ...patch });

describe('optionalField', () => {
  it('trims, and sends nothing for an empty or blank field', () => {
    expect(optionalField('  class-101 \t')).toBe('class-101');
    expect(optionalField('')).toBeNull();
    expect(optionalField('   \n')).toBeNull();
    expect(optionalField(null)).toBeNull();
    expect(optionalField(undefined)).toBeNull();
  });
});

describe('userRefOf', () => {
  it('names the learner the way the chosen mode says, trimmed', () => {
    expect(userRefOf(form({ mode: 'external_id', externalId: ' s1234567 ' }))).toEqual({ by: 'external_id', id: 's1234567' });
    expect(userRefOf(form({ mode: 'user_id', userId: '50123 ' }))).toEqual({ by: 'user_id', id: '50123' });
  });

  it('uses only the field of the chosen mode', () => {
    expect(userRefOf(form({ mode: 'user_id', externalId: 's1234567', userId: '' }))).toBeNull();
    expect(userRefOf(form({ mode: 'external_id', externalId: ' ', userId: '50123' }))).toBeNull();
  });
});

describe('launchRequestOf', () => {
  it('builds the request the back end expects, with empty optional fields as null', () => {
    expect(
      launchRequestOf(
        'demo-openlearning',
        form({ externalId: 's1234567', classId: ' class-101 ', contextId: '', email: '  ', fullName: 'Ada Lovelace ' }),
      ),
    ).toEqual({
      profile_id: 'demo-openlearning',
      user: { by: 'external_id', id: 's1234567' },
      class_id: 'class-101',
      context_id: null,
      email: null,
      full_name: 'Ada Lovelace',
    });
  });

  it('keeps both class and context: the back end and OpenLearning decide, the screen only warns', () => {
    const request = launchRequestOf('ol', form({ mode: 'user_id', userId: '7', classId: 'c', contextId: 'x' }));
    expect(request).toMatchObject({ user: { by: 'user_id', id: '7' }, class_id: 'c', context_id: 'x' });
  });

  it('makes no request while no learner is named', () => {
    expect(launchRequestOf('ol', form({ classId: 'class-101' }))).toBeNull();
    expect(missingLearner(form({}))).toBe("Type the learner's external id first.");
    expect(missingLearner(form({ mode: 'user_id' }))).toBe("Type the learner's OpenLearning user id first.");
    expect(missingLearner(form({ externalId: 'x' }))).toBeNull();
  });
});

describe('contextWins', () => {
  it('is true only when both a class id and a context id are given', () => {
    expect(contextWins('class-101', 'BIO101')).toBe(true);
    expect(contextWins('class-101', '')).toBe(false);
    expect(contextWins('', 'BIO101')).toBe(false);
    expect(contextWins('class-101', '   ')).toBe(false);
    expect(contextWins(null, 'BIO101')).toBe(false);
    expect(contextWins(undefined, undefined)).toBe(false);
  });
});

describe('rosterLaunchRequest', () => {
  it('launches a row by its external id with its own class and details', () => {
    const row: RosterRow = {
      line: 3,
      external_id: ' s7654321 ',
      class_id: null,
      context_id: 'BIO101-2025-S1',
      email: '',
      full_name: 'Alan Turing',
    };
    expect(rosterLaunchRequest('ol', row)).toEqual({
      profile_id: 'ol',
      user: { by: 'external_id', id: 's7654321' },
      class_id: null,
      context_id: 'BIO101-2025-S1',
      email: null,
      full_name: 'Alan Turing',
    });
  });
});
