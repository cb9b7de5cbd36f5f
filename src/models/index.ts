// Public API of src/models: one export line per file.
export * from './batch-norm-op';
export * from './batch-norm-layer';
export * from './option-a-shortcut';
export * from './grouped-conv';
export * from './padded-conv';
export * from './padded-max-pool';
export * from './init';
export * from './layers';
export * from './resnet-cifar';
export * from './resnet-imagenet';
export * from './heads';
export * from './rescom-network';
