/** The door for pages: the dependency-free COCO JSON readers (results, captions, instances), without the Node and streaming readers. */
export {
  readCocoCaptions, readCocoInstances, readCocoResults, parseCocoJson, captionsByImage, objectsByImage, joinCocoResults, countCocoErrors, COCO_ERROR_KINDS,
  type CocoError, type CocoErrorKind, type CocoResult, type CocoResultsFile,
} from "./coco.js";
