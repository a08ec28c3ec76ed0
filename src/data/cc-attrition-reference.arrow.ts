// Emits the Conceptual Captions paper's stated attrition stages as an Arrow IPC file.
import { tableFromRows, toArrowIPC } from "../lib/arrow/index.js";
import { ATTRITION_REFERENCE_COLUMNS, attritionReferenceRows } from "../lib/reference/index.js";

process.stdout.write(toArrowIPC(tableFromRows(attritionReferenceRows(), ATTRITION_REFERENCE_COLUMNS)));
