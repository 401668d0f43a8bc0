// The tests run the kernels the Node CLI runs: with relaxed SIMD where the engine has it behind a
// flag (src/cli/relaxedSimd.ts). Tests of the plain builds switch it off (setRelaxedSimdEnabled).
import { enableRelaxedSimd } from '../../src/cli/relaxedSimd';

enableRelaxedSimd();
