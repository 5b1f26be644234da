#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// ---------------------------------------------------------------------------------------------------------------
// Constants for libpng's simplified-API macros that do not import into Swift (see notes/PLATFORM.md).
// ---------------------------------------------------------------------------------------------------------------
static const unsigned int hashlab_png_format_gray = 0;                                             // PNG_FORMAT_GRAY
static const unsigned int hashlab_png_format_gray_alpha = PNG_FORMAT_FLAG_ALPHA;                   // PNG_FORMAT_GA
static const unsigned int hashlab_png_format_rgb = PNG_FORMAT_FLAG_COLOR;                          // PNG_FORMAT_RGB
static const unsigned int hashlab_png_format_rgba = PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA; // PNG_FORMAT_RGBA

static inline int hashlab_png_image_failed(const png_image *image) { return PNG_IMAGE_FAILED(*image); }

// ---------------------------------------------------------------------------------------------------------------
// A Pillow-faithful PNG decoder on libpng's progressive-free "low-level" read API.
//
// Why not the simplified API for reading: it applies gamma (a gAMA chunk, or linear-light for 16-bit data) and
// premultiplies 16-bit alpha, while Pillow hands imagehash the stored sample values untouched. This helper reads
// the stored samples and maps them the way Pillow's PngImagePlugin + Image.convert("L") would:
//   gray 1/2/4 bit  -> 8-bit gray scaled (0..1 -> 0,255; 0..3 -> *85; 0..15 -> *17), as Pillow's "1"/"L;2"/"L;4"
//   gray 16 bit     -> Pillow opens "I;16"; its convert("L") clips: v > 255 -> 255, else v
//   any other 16    -> the high byte of each sample (Pillow's "RGB;16B", "LA;16B", "RGBA;16B" raw modes)
//   palette         -> RGB (or RGBA when a tRNS chunk gives entries an alpha)
// libpng errors (bad signature, CRC, truncation) come back as a message instead of a longjmp into Swift.
// ---------------------------------------------------------------------------------------------------------------
typedef struct {
    int width;
    int height;
    int channels;        // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
    int bit_depth;       // as stored in the file
    int color_type;      // PNG_COLOR_TYPE_* as stored in the file
    unsigned char *pixels; // malloc'ed width*height*channels bytes on success; free with hashlab_png_free
    char message[160];
} hashlab_png_decoded;

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} hashlab_png_source;

typedef struct {
    jmp_buf jump;
    char *message;
} hashlab_png_failure;

static void hashlab_png_read_bytes(png_structp png, png_bytep out, png_size_t count) {
    hashlab_png_source *source = (hashlab_png_source *)png_get_io_ptr(png);
    if (count > source->size - source->offset) {
        png_error(png, "truncated file (unexpected end of data)");
    }
    memcpy(out, source->data + source->offset, count);
    source->offset += count;
}

static void hashlab_png_on_error(png_structp png, png_const_charp text) {
    hashlab_png_failure *failure = (hashlab_png_failure *)png_get_error_ptr(png);
    strncpy(failure->message, text ? text : "libpng error", 159);
    failure->message[159] = 0;
    longjmp(failure->jump, 1);
}

static void hashlab_png_on_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

static inline void hashlab_png_free(hashlab_png_decoded *decoded) {
    free(decoded->pixels);
    decoded->pixels = NULL;
}

/// Decodes `size` bytes of PNG into `out`; returns 1 on success, 0 with `out->message` set on failure.
static inline int hashlab_png_decode(const unsigned char *data, size_t size, hashlab_png_decoded *out) {
    memset(out, 0, sizeof(*out));
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        strcpy(out->message, "not a PNG file");
        return 0;
    }
    hashlab_png_failure failure;
    failure.message = out->message;
    hashlab_png_source source = { data, size, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, hashlab_png_on_error,
                                             hashlab_png_on_warning);
    if (!png) { strcpy(out->message, "out of memory"); return 0; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); strcpy(out->message, "out of memory"); return 0; }
    unsigned char *volatile pixels = NULL;
    unsigned char *volatile wide = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(failure.jump)) {
        free(pixels); free(wide); free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return 0;
    }
    png_set_read_fn(png, &source, hashlab_png_read_bytes);
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    int depth = png_get_bit_depth(png, info);
    int type = png_get_color_type(png, info);
    int gray16 = (type == PNG_COLOR_TYPE_GRAY && depth == 16);
    if (type == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
        if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    } else if (type == PNG_COLOR_TYPE_GRAY && depth < 8) {
        png_set_expand_gray_1_2_4_to_8(png);
    }
    if (depth == 16 && !gray16) png_set_strip_16(png); // keeps the high byte, as Pillow's ";16B" raw modes
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    size_t rowBytes = png_get_rowbytes(png, info);
    size_t pixelCount = (size_t)width * (size_t)height;
    pixels = (unsigned char *)malloc(pixelCount * (size_t)channels + 1);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (height ? height : 1));
    if (gray16) wide = (unsigned char *)malloc(rowBytes * height + 1);
    if (!pixels || !rows || (gray16 && !wide)) png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < height; y++) {
        rows[y] = gray16 ? wide + (size_t)y * rowBytes : pixels + (size_t)y * width * channels;
    }
    png_read_image(png, rows);
    // No png_read_end: like Pillow, a file whose pixels are complete is accepted even if chunks after the
    // image data are damaged or missing.
    if (gray16) {
        // Pillow: "I;16" -> "L" is I16L_L in Convert.c: any value above 255 saturates to 255.
        for (size_t i = 0; i < pixelCount; i++) {
            unsigned char high = wide[2 * i], low = wide[2 * i + 1];
            pixels[i] = high ? 255 : low;
        }
    }
    free(wide); free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    out->width = (int)width;
    out->height = (int)height;
    out->channels = channels;
    out->bit_depth = depth;
    out->color_type = type;
    out->pixels = pixels;
    return 1;
}
