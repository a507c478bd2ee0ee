import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// happy-dom does no layout, so every element measures 0×0 and a virtualised table would draw no
// rows at all. Give elements roughly what a browser window would: boxes 1000×600, table rows
// (the elements TanStack Virtual measures carry `data-index`) 36px high.
function defineSize(name: 'clientWidth' | 'clientHeight' | 'offsetWidth' | 'offsetHeight', size: (el: HTMLElement) => number) {
  Object.defineProperty(HTMLElement.prototype, name, {
    configurable: true,
    get(this: HTMLElement) {
      return size(this);
    },
  });
}
defineSize('clientWidth', () => 1000);
defineSize('offsetWidth', () => 1000);
defineSize('clientHeight', () => 600);
defineSize('offsetHeight', (el) => (el.hasAttribute('data-index') ? 36 : 600));

afterEach(() => {
  cleanup();
});
