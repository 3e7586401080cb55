/** What the offline plan assumes of PingFederate: nothing to look up (its dynamic resources compute what they need). */
import type { IdpOfflineAnswers } from "../../src/offline-answers";

/** The offline plan's answers for PingFederate: none. */
export const OFFLINE_ANSWERS: IdpOfflineAnswers = { calls: {}, computed: {} };
