/** What the embedded engines do when they die after the store opened. */
import type { StoreUnavailableError } from './errors.ts';

/** Called when the embedded engine dies after the store opened. Default: an uncaught error (exit 1). */
export type OnFatal = (error: StoreUnavailableError) => void;

/** The default `OnFatal`. */
export const throwUncaught: OnFatal = (error) => {
  process.nextTick(() => {
    throw error;
  });
};
