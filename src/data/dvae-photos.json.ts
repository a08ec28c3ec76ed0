// Emits the dVAE page's built-in photographs (public-domain @stdlib dataset images) as base64 JPEGs.
import { builtinPhotos } from "../lib/dvae/node.js";

const photos = await builtinPhotos();
process.stdout.write(JSON.stringify(photos.map(({ jpeg, ...rest }) => ({ ...rest, jpegBase64: jpeg.toString("base64") }))));
