/**
 * The training worker's entry point: one PlaygroundSession exposed to the page over Comlink.
 */
import * as Comlink from 'comlink';
import { PlaygroundSession } from './playgroundSession';

Comlink.expose(new PlaygroundSession());
