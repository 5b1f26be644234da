// Cairo, the 2-D library every PNG and SVG chart is drawn with (image surfaces for PNG, the SVG surface for
// slides). Only the plain C API is used: no callbacks other than the SVG surface's write function.
#include <cairo.h>
#include <cairo-svg.h>
