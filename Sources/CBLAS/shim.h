#include <stddef.h>
#include <cblas.h>

// The few LAPACK routines HashLab calls (ShallowHashing's LinearAlgebra). Debian's libopenblas-dev ships no
// lapack.h, but libopenblas exports the reference LAPACK built with gfortran, so the Fortran entry points are
// declared here by hand: every argument by pointer, column-major matrices, 32-bit integers (LP64 OpenBLAS), and
// gfortran's hidden length of each CHARACTER argument appended at the end (1 for a single letter).

/// Selected eigenvalues and eigenvectors of a real symmetric matrix (MRRR, "relatively robust representations").
void dsyevr_(const char *jobz, const char *range, const char *uplo, const int *n, double *a, const int *lda,
             const double *vl, const double *vu, const int *il, const int *iu, const double *abstol,
             int *m, double *w, double *z, const int *ldz, int *isuppz,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t range_length, size_t uplo_length);

/// Singular value decomposition of a real matrix by divide and conquer.
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
             double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork,
             int *iwork, int *info, size_t jobz_length);

/// The solution X of A X = B for a symmetric positive definite A, by its Cholesky factorisation A = UᵀU.
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
            int *info, size_t uplo_length);

/// All eigenvalues and eigenvectors of the generalised symmetric-definite problem A x = λ B x (itype 1): B's
/// Cholesky factor reduces it to a standard symmetric one. B must be positive definite.
void dsygv_(const int *itype, const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *b, const int *ldb, double *w, double *work, const int *lwork, int *info,
            size_t jobz_length, size_t uplo_length);
