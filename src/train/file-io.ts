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
    load: () => memoryModelHandler(readModelFiles(dir)).load!(),
  };
}

/** A saved model read into memory: model.json and the weight files it names, in manifest order. */
export interface ModelFiles {
  json: tf.io.ModelJSON;
  weights: ArrayBuffer[];
}

/** Reads model.json and its weight files from `dir` at once (a snapshot; see run-read.ts). */
export function readModelFiles(dir: string): ModelFiles {
  const jsonPath = path.join(dir, MODEL_JSON);
  if (!fs.existsSync(jsonPath)) throw new Error(`fileSystemHandler: no ${MODEL_JSON} in '${dir}'`);
  const json = readJsonFile(
    jsonPath,
    'fileSystemHandler',
    'a TensorFlow.js layers model.json',
  ) as unknown as tf.io.ModelJSON;
  const weights: ArrayBuffer[] = [];
  for (const group of json.weightsManifest ?? []) {
    for (const p of group.paths) {
      const file = path.join(dir, p);
      if (!fs.existsSync(file))
        throw new Error(`fileSystemHandler: weights file '${file}' named in ${jsonPath} is missing`);
      const bytes = fs.readFileSync(file);
      weights.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
  }
  return { json, weights };
}

/** An IOHandler that loads `files` (for `tf.loadLayersModel`). */
export function memoryModelHandler(files: ModelFiles): tf.io.IOHandler {
  return {
    load: () =>
      tf.io.getModelArtifactsForJSON(files.json, async (manifest) => [
        tf.io.getWeightSpecs(manifest),
        tf.io.CompositeArrayBuffer.join(files.weights),
      ]),
  };
}
