#include <fftw3.h>

// FFTW 3 in double precision (libfftw3): ShallowHashing's GIST descriptor transforms each image with plans made
// once (`fftw_plan_dft_2d`) and run on many arrays (`fftw_execute_dft`, safe from several threads at once). Only
// the planner is not thread-safe; HashLab makes every plan under one lock.
