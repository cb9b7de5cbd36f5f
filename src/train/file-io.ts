/**
 * A TensorFlow.js IOHandler for a folder on disk: `model.json` (topology + weights manifest, the
 * standard TF.js layers format) and one `weights.bin`. tfjs-node's `file://` handler is not
 * available with the wasm backend, so this is the way to `model.save(...)` and
 * `tf.loadLayersModel(...)` in Node:
 *
 *   await model.save(fileSystemHandler('runs/x/model'));
 *   const again = await tf.loadLayersModel(fileSystemHandler('runs/x/model'));
 *
 * Saving writes both files atomically (temporary name, then rename); the folder is created.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import { readJsonFile } from '../util/read-file';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export function fileSystemHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      fs.mkdirSync(dir, { recursive: true });
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: manifest,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      writeFileAtomic(path.join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, MODEL_JSON);
      if (!fs.existsSync(jsonPath)) throw new Error(`fileSystemHandler: no ${MODEL_JSON} in '${dir}'`);
      const modelJson = readJsonFile(
        jsonPath,
        'fileSystemHandler',
        'a TensorFlow.js layers model.json',
      ) as unknown as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const p of group.paths) {
            const file = path.join(dir, p);
            if (!fs.existsSync(file))
              throw new Error(`fileSystemHandler: weights file '${file}' named in ${jsonPath} is missing`);
            const bytes = fs.readFileSync(file);
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          }
        }
        return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}
