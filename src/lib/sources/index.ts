/** Source readers: each turns one public data format into typed rows and counted errors. */
export {
  readCocoCaptions, readCocoInstances, readCocoResults, parseCocoJson, captionsByImage, objectsByImage, joinCocoResults,
  countCocoErrors, COCO_ERROR_KINDS,
  type CocoError, type CocoErrorKind, type CocoImage, type CocoCaption, type CocoCategory, type CocoObject, type CocoResult,
  type CocoCaptionsFile, type CocoInstancesFile, type CocoResultsFile, type CocoEvaluationRecord, type CocoJoin,
} from "./coco.js";
