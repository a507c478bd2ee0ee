// Launch against the real core and the sandbox's OpenLearning: a learner found by the remote id the
// university's identity provider sent, a launch's parameters shown with the core's masking, and a
// launch opened through the core's one-shot page, which serves the signed form once. The signature
// in that form never reaches the app's page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeData, realCore } from '../realCore';
import { expect, test } from '../test';

/** A demo learner: Open edX's saml-demo-univ remote id is OpenLearning's external id. */
const LEARNER = { externalId: 's9502754', userId: 'ol-u-000001', name: 'Mark Wright' };

test('find a learner, show a launch masked, open one through the one-shot page', async ({ page, request }) => {
  await realCore(page);
  await page.goto('./#/launch');
  await expect(page.getByTestId('screen-title')).toHaveText('Launch');
  await page.getByTestId('launch-external-id').fill(LEARNER.externalId);
  await page.getByTestId('launch-find').click();
  const found = page.getByTestId('launch-found-user');
  await expect(found).toContainText(LEARNER.name, { timeout: 20_000 });
  await expect(found).toContainText(`OpenLearning user id ${LEARNER.userId}`);

  await page.getByTestId('launch-context-id').fill('LMS-COURSE-101');
  await page.getByTestId('launch-show-params').click();
  const params = page.getByTestId('launch-params');
  await expect(params).toBeVisible({ timeout: 20_000 });
  // The core's rule (`is_secret_param`): the signature and the nonce are masked, nothing else.
  expect(
    await params.locator('[data-masked="true"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-name'))),
  ).toEqual(['oauth_nonce', 'oauth_signature']);
  await expect(params.locator('[data-name="oauth_signature"] [data-testid="launch-param-value"]')).toHaveText('••••••');
  await expect(params.locator('[data-name="user_id"] [data-testid="launch-param-value"]')).toHaveText(LEARNER.userId);
  await expect(params.locator('[data-name="context_id"] [data-testid="launch-param-value"]')).toHaveText('LMS-COURSE-101');
  await expect(params.locator('[data-name="oauth_signature_method"] [data-testid="launch-param-value"]')).toHaveText(
    'HMAC-SHA1',
  );

  // Open in browser: the core serves the signed form once on loopback (the bridge writes the
  // address it would have opened to a file instead of starting a browser).
  await page.getByTestId('launch-open').click();
  const result = page.getByTestId('launch-result');
  await expect(result).toContainText('Opened in your browser', { timeout: 20_000 });
  await expect(page.getByTestId('launch-result-who')).toHaveText(`OpenLearning user ${LEARNER.userId}, into context LMS-COURSE-101.`);
  const address = readFileSync(join(bridgeData(), 'opened', 'launch-url.txt'), 'utf8').trim();
  expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const first = await request.get(address);
  expect(first.status()).toBe(200);
  const form = await first.text();
  const signature = /name="oauth_signature" value="([^"]+)"/.exec(form)?.[1];
  expect(signature, 'the one-shot page carries the signed form').toBeTruthy();
  expect(form).toContain(`value="${LEARNER.userId}"`);
  // Once only.
  const second = await request.get(address);
  expect(second.status()).not.toBe(200);
  // The signature went to the "browser", never to the app's page.
  expect(await page.content()).not.toContain(signature as string);
});
