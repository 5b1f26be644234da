#include <stdio.h>   // jpeglib.h uses FILE and size_t without including their headers
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// ---------------------------------------------------------------------------------------------------------------
// A Pillow-faithful JPEG decoder on libjpeg(-turbo)'s decompression API.
//
// Pillow (src/libImaging/JpegDecode.c) leaves libjpeg's defaults alone — the accurate integer IDCT (JDCT_ISLOW),
// fancy (triangle-filter) chroma upsampling, block smoothing for progressive files — and only chooses the output
// colour space from the number of components: 1 -> JCS_GRAYSCALE, 3 -> RGB (YCbCr converted by libjpeg),
// 4 -> JCS_CMYK (YCCK converted to CMYK by libjpeg). It applies no EXIF rotation. This helper does the same and
// hands back libjpeg's output samples untouched; Swift (JPEGDecoding.swift) does what Pillow does after that.
//
// Errors: libjpeg reports fatal errors through error_exit, which must not return; here it formats libjpeg's
// message and longjmps back into hashlab_jpeg_decode, which frees everything and returns 0. Never into Swift.
//
// Warnings: Pillow silences them (its output_message does nothing) and keeps the image, so corrupt entropy data,
// extraneous bytes before a marker or a premature end of a data segment decode to whatever libjpeg makes of them.
// One warning is different. Pillow feeds libjpeg through a *suspending* source: when libjpeg wants bytes past
// the end of the file, decoding suspends, Pillow finds nothing more to read and raises "image file is truncated"
// — unless every row has already been read, when the missing end (typically the EOI marker) is forgiven.
// libjpeg's memory source instead inserts a fake EOI and warns JWRN_JPEG_EOF; emit_message below turns that
// warning into the "truncated" failure while rows are still missing, and ignores it afterwards, which accepts
// and refuses exactly the files Pillow accepts and refuses.
// ---------------------------------------------------------------------------------------------------------------
enum {
    hashlab_jpeg_failed_damaged = 1,     // libjpeg's fatal error; the message is libjpeg's text
    hashlab_jpeg_failed_truncated = 2,   // the data ends before the last row (Pillow: "image file is truncated")
    hashlab_jpeg_failed_unsupported = 3, // valid JPEG that Pillow does not open either (12-bit, 2 components…)
    hashlab_jpeg_failed_memory = 4,
};

typedef struct {
    int width;
    int height;
    int components;       // 1 gray, 3 RGB, 4 CMYK exactly as libjpeg outputs it (Adobe files store it inverted)
    int color_space;      // the file's colour space as libjpeg judged it: JCS_GRAYSCALE, JCS_YCbCr, JCS_RGB, JCS_CMYK, JCS_YCCK
    int progressive;      // 1 for a progressive (SOF2) file
    unsigned char *pixels; // malloc'ed width*height*components bytes on success; free with hashlab_jpeg_free
    int failure;           // 0 on success, else one of hashlab_jpeg_failed_*
    int warnings;          // libjpeg warnings met and ignored, as Pillow ignores them
    char message[JMSG_LENGTH_MAX];
} hashlab_jpeg_decoded;

typedef struct {
    struct jpeg_error_mgr manager; // first, so that a j_common_ptr's err is also a hashlab_jpeg_failure
    jmp_buf jump;
    hashlab_jpeg_decoded *out;
    int rows_complete;             // set once every row has been read: a missing end is then forgiven
} hashlab_jpeg_failure;

static void hashlab_jpeg_fail(j_common_ptr info, int failure) {
    hashlab_jpeg_failure *state = (hashlab_jpeg_failure *)info->err;
    state->out->failure = failure;
    (*info->err->format_message)(info, state->out->message);
    longjmp(state->jump, 1);
}

static void hashlab_jpeg_on_error(j_common_ptr info) {
    int code = info->err->msg_code;
    // 12-bit samples and the lossless and hierarchical processes (SOF3, SOF5–7…) are valid JPEG that Pillow does
    // not open either; anything else fatal is damage.
    int unsupported = code == JERR_BAD_PRECISION || code == JERR_SOF_UNSUPPORTED;
    hashlab_jpeg_fail(info, unsupported ? hashlab_jpeg_failed_unsupported
                          : code == JERR_OUT_OF_MEMORY ? hashlab_jpeg_failed_memory
                          : hashlab_jpeg_failed_damaged);
}

static void hashlab_jpeg_on_message(j_common_ptr info, int level) {
    if (level >= 0) return; // trace messages
    hashlab_jpeg_failure *state = (hashlab_jpeg_failure *)info->err;
    if (info->err->msg_code == JWRN_JPEG_EOF && !state->rows_complete) {
        hashlab_jpeg_fail(info, hashlab_jpeg_failed_truncated);
    }
    state->out->warnings++;
    info->err->num_warnings++;
}

static void hashlab_jpeg_print_nothing(j_common_ptr info) { (void)info; }

static inline void hashlab_jpeg_free(hashlab_jpeg_decoded *decoded) {
    free(decoded->pixels);
    decoded->pixels = NULL;
}

/// Decodes `size` bytes of JPEG into `out`; returns 1 on success, 0 with `out->failure` and `out->message` set.
/// The caller has checked that the data starts with a JPEG signature (FF D8 FF).
static inline int hashlab_jpeg_decode(const unsigned char *data, size_t size, hashlab_jpeg_decoded *out) {
    memset(out, 0, sizeof(*out));
    struct jpeg_decompress_struct info;
    hashlab_jpeg_failure failure;
    memset(&failure, 0, sizeof(failure));
    failure.out = out;
    info.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = hashlab_jpeg_on_error;
    failure.manager.emit_message = hashlab_jpeg_on_message;
    failure.manager.output_message = hashlab_jpeg_print_nothing;
    unsigned char *volatile pixels = NULL;
    if (setjmp(failure.jump)) {
        free(pixels);
        jpeg_destroy_decompress(&info);
        return 0;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    // Pillow's SOF handler: 8-bit samples only ("cannot handle 12-bit layers"; an 8-bit libjpeg refuses them
    // before this point with JERR_BAD_PRECISION), and 1, 3 or 4 components ("cannot handle 2-layer images").
    switch (info.num_components) {
    case 1: info.out_color_space = JCS_GRAYSCALE; break;
    case 3: info.out_color_space = JCS_RGB; break;
    case 4: info.out_color_space = JCS_CMYK; break;
    default:
        snprintf(out->message, sizeof(out->message), "%d components; Pillow reads 1 (gray), 3 (colour) or 4 (CMYK)",
                 info.num_components);
        out->failure = hashlab_jpeg_failed_unsupported;
        jpeg_destroy_decompress(&info);
        return 0;
    }
    // Pillow's Image.open refuses more than 2 × MAX_IMAGE_PIXELS = 2 × 89,478,485 pixels ("could be decompression
    // bomb DOS attack"), so imagehash never hashes such a file; refused here too, before libjpeg allocates for it.
    unsigned long long pixel_count = (unsigned long long)info.image_width * (unsigned long long)info.image_height;
    if (pixel_count > 178956970ULL) {
        snprintf(out->message, sizeof(out->message),
                 "%u×%u is %llu pixels, more than the 178956970 Pillow opens: a possible decompression bomb",
                 (unsigned)info.image_width, (unsigned)info.image_height, pixel_count);
        out->failure = hashlab_jpeg_failed_unsupported;
        jpeg_destroy_decompress(&info);
        return 0;
    }
    info.dct_method = JDCT_ISLOW;      // libjpeg's default, which Pillow keeps (it changes it only in draft mode)
    info.do_fancy_upsampling = TRUE;   // likewise
    out->color_space = info.jpeg_color_space;
    out->progressive = info.progressive_mode ? 1 : 0;
    jpeg_start_decompress(&info);
    size_t stride = (size_t)info.output_width * (size_t)info.output_components;
    pixels = (unsigned char *)malloc(stride * info.output_height + 1);
    if (!pixels) {
        strcpy(out->message, "out of memory");
        out->failure = hashlab_jpeg_failed_memory;
        jpeg_destroy_decompress(&info);
        return 0;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = pixels + stride * info.output_scanline;
        jpeg_read_scanlines(&info, &row, 1);
    }
    failure.rows_complete = 1;
    // As Pillow: the rest of the file is read up to EOI, where a fatal error still fails the image, while a
    // missing end does not.
    jpeg_finish_decompress(&info);
    out->width = (int)info.output_width;
    out->height = (int)info.output_height;
    out->components = info.output_components;
    out->pixels = pixels;
    jpeg_destroy_decompress(&info);
    return 1;
}
