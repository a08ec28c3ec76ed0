/**
 * Loads the NLP packages the stages compute with (compromise, franc-min's trigram data, the Porter stemmer) and plugs
 * them in (nlp-packages.ts), for the folder's doors (index.ts, browser.ts) and run.ts (this thread and each worker).
 */
import nlp from "compromise";
import { data } from "franc-min/data.js";
import { expressions } from "franc-min/expressions.js";
import { stemmer } from "stemmer";
import { useNlpPackages } from "./nlp-packages.js";

useNlpPackages({ nlp, franc: { data: data as Record<string, Record<string, string>>, expressions }, stemmer });
