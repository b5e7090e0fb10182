//go:build !purego

#include "textflag.h"

// func adamStep4(params, grad, m1, m2 *float32, n int, k *adamConsts)
//
// The Adam update of adamScalar on n parameters, n a multiple of 4, four at
// a time in SSE registers (every amd64 has SSE2): the same operations in the
// same order, each rounded to float32 as the scalar code rounds it, so the
// bits are the scalar loop's. X15 is left alone (ABIInternal's zero).
TEXT ·adamStep4(SB), NOSPLIT, $0-48
	MOVQ params+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m1+16(FP), R8
	MOVQ m2+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	MOVSS 0(AX), X6 // step
	SHUFPS $0, X6, X6
	MOVSS 4(AX), X7 // rc2
	SHUFPS $0, X7, X7
	MOVSS 8(AX), X8 // b1
	SHUFPS $0, X8, X8
	MOVSS 12(AX), X9 // b2
	SHUFPS $0, X9, X9
	MOVSS 16(AX), X10 // 1 - b1
	SHUFPS $0, X10, X10
	MOVSS 20(AX), X11 // 1 - b2
	SHUFPS $0, X11, X11
	MOVSS 24(AX), X12 // eps
	SHUFPS $0, X12, X12
	MOVSS 28(AX), X13 // wd
	SHUFPS $0, X13, X13

loop:
	CMPQ CX, $4
	JLT  done
	MOVUPS (DI), X0  // p
	MOVUPS (SI), X1  // g
	MOVAPS X13, X2
	MULPS  X0, X2    // wd·p
	ADDPS  X2, X1    // gi = g + wd·p
	MOVUPS (R8), X2
	MULPS  X8, X2    // b1·m
	MOVAPS X10, X3
	MULPS  X1, X3    // (1-b1)·gi
	ADDPS  X3, X2    // mi
	MOVUPS X2, (R8)
	MOVUPS (R9), X3
	MULPS  X9, X3    // b2·v
	MOVAPS X11, X4
	MULPS  X1, X4    // (1-b2)·gi
	MULPS  X1, X4    // ((1-b2)·gi)·gi
	ADDPS  X4, X3    // vi
	MOVUPS X3, (R9)
	SQRTPS X3, X4    // √vi
	MULPS  X7, X4    // √vi·rc2
	ADDPS  X12, X4   // + eps
	MOVAPS X6, X5
	MULPS  X2, X5    // step·mi
	DIVPS  X4, X5    // step·mi / (√vi·rc2 + eps)
	SUBPS  X5, X0    // p − …
	MOVUPS X0, (DI)
	ADDQ   $16, DI
	ADDQ   $16, SI
	ADDQ   $16, R8
	ADDQ   $16, R9
	SUBQ   $4, CX
	JMP    loop

done:
	RET
