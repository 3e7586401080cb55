/** What the offline plan assumes of this IdP when it cannot reach it: data-source answers and computed outputs. */
import type { IdpOfflineAnswers } from "../../src/offline-answers";

/** The offline plan's answers for this IdP. */
export const OFFLINE_ANSWERS: IdpOfflineAnswers = {
  calls: {

  },
  computed: {
    "gcp:secretmanager/secret:Secret": (inputs) => ({ name: `projects/${String(inputs.project ?? "project")}/secrets/${String(inputs.secretId)}` }),
    "gcp:secretmanager/secretVersion:SecretVersion": (inputs) => ({ name: `${String(inputs.secret)}/versions/1`, version: "1" }),
  },
};
