const tf=require('@tensorflow/tfjs'); const {selectBackend}=require('./lib/backend');
(async()=>{ await selectBackend({log:null}); console.log(tf.getBackend(), !!tf.getKernel('Conv2D','wasm').__rescomOneDnnKernel, !!tf.getKernel('FusedConv2D','wasm').__rescomOneDnnKernel);
 const shapes=[[128,32,16,16,1],[128,32,16,32,2],[128,16,32,32,1],[128,16,32,64,2],[128,8,64,64,1]];
 for(const [n,h,ci,co,s] of shapes){
  const x=tf.randomNormal([n,h,h,ci]), w=tf.randomNormal([3,3,ci,co]); const y=tf.conv2d(x,w,s,'same');
  const t=(f)=>{ tf.tidy(f); const R=5; const t0=performance.now(); for(let i=0;i<R;i++) tf.tidy(()=>{const r=f(); r.dataSync();}); return ((performance.now()-t0)/R).toFixed(2);};
  const fw=t(()=>tf.conv2d(x,w,s,'same'));
  const dx=t(()=>tf.conv2dTranspose? tf.engine().runKernel('Conv2DBackpropInput',{dy:y,filter:w},{strides:s,pad:'same',dataFormat:'NHWC',inputShape:x.shape}):0);
  const dw=t(()=>tf.engine().runKernel('Conv2DBackpropFilter',{x,dy:y},{strides:s,pad:'same',dataFormat:'NHWC',filterShape:w.shape}));
  console.log(`N${n} ${h}x${h} ${ci}->${co} s${s}: fwd ${fw} dx ${dx} dW ${dw} ms`);
  tf.dispose([x,w,y]);
 }
})();
