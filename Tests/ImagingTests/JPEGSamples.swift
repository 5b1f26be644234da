import Foundation

/// Three small JPEGs written into the tests, with the samples Pillow 13 decodes them to, so that decoding is checked
/// sample by sample without ../shared and without Python.
///
/// How they were made (once, outside the project): a 13×9 RGB test card, pixel (x, y) =
/// ((37x + 11y) mod 256, (255 − 19x) mod 256, (29y + 60·(x mod 3)) mod 256), saved by Pillow 13 as
/// - `colour420`: quality 80, 4:2:0 subsampling, optimised Huffman tables (baseline, JFIF, YCbCr; odd sides, so
///   fancy upsampling meets the right and bottom edges);
/// - `grayProgressive`: its `convert("L")`, cropped to 7×5, quality 70, progressive;
/// - `cmyk`: its top-left 5×4 pixels `convert("CMYK")`, quality 90 (Adobe APP14 marker, transform 0, inverted).
/// The expected samples are `numpy.asarray(Image.open(f))` — after `convert("RGB")` for the CMYK file, which is
/// what HashLab keeps (see `Image.init(jpegData:)`) — printed as base64.
enum JPEGSamples {
    static let colour420 = bytes("""
        /9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSop
        GR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo
        KCj/wAARCAAJAA0DASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABwb/xAAoEAABAgMECwAAAAAAAAAAAAABAgMABBEGEhNxBQcx
        MjV0gZGxsvD/xAAVAQEBAAAAAAAAAAAAAAAAAAACA//EACIRAAIBAwIHAAAAAAAAAAAAAAECAwAEEQahEhMVMUFysf/aAAwDAQACEQMR
        AD8AqbUMMymgpu8ElS0YABUBUnb2BJ6QSzcvKNXMd1pm9VQxFhNa5n6sLusPg7fMr9FQJ2735PJXhEW05Yw3si2rgAMSO3gLxDcUtNXP
        T4DOq55aLgezYP3av//Z
        """)
    static let colour420Pixels = bytes("""
        BvgOHPQkRuZGWbZEn6hlwKZ1n5VYTlgZSm0zOkkybj5mlS5buCEWF/sqKfU6Uutdab9ep6x2uqJ8qqZ5T1wuSWU9RUpDcjluoTRtthol
        JO1PNepdXeR+dsGArayOu6OXp62fUGRZXm1qaVlziEGNt0CSwBhMO+1zUu+Eb+SWiMiWurWhybezhp6gVXF8Xl90ck56jzyOtjaTxhps
        UOqIZu+XddqUj8WTtrWWxb+xS3R4R3CEcmeHi1OCqkqRuTSN0yqPXemScOmZedCLmsqOt76Ks7ydNm5vSnqQaVh6jkl2sUZ+syx5xi2f
        cPebduuShtODst6Rvs9/lax0S46FU4aZbFVyoVR2wk5zwDt8tDevcficbN+EgcZzsdmDqcJkW346SY+FO2uCcll5sFyAwENhrCpqaAiN
        cv6nbOCLltaIud+MqMxsVYA7UZGRR26VfGGOs12MwTpiwECLSQqj
        """)

    static let grayProgressive = bytes("""
        /9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+
        JS5ESUM8SDc9Pjv/wgALCAAFAAcBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAABP/aAAgBAQAAAAF3/8QAFRABAQAAAAAAAAAAAAAAAAAA
        AhH/2gAIAQEAAQUCcA//xAAWEAADAAAAAAAAAAAAAAAAAAAAAQL/2gAIAQEABj8CdH//xAAYEAADAQEAAAAAAAAAAAAAAAABESEAgf/a
        AAgBAQABPyGSNATu/9oACAEBAAAAEH//xAAXEAEAAwAAAAAAAAAAAAAAAAARAHHB/9oACAEBAAE/ELs4FGz/2Q==
        """)
    static let grayProgressivePixels = bytes("""
        l5ank6afoJ+frpWin5+jp7aerLCoqa68pra8mrK2v6m3uHA=
        """)

    static let cmyk = bytes("""
        /9j/7gAOQWRvYmUAZAAAAAAA/9sAQwADAgIDAgIDAwMDBAMDBAUIBQUEBAUKBwcGCAwKDAwLCgsLDQ4SEA0OEQ4LCxAWEBETFBUVFQwP
        FxgWFBgSFBUU/8AAFAgABAAFBEMRAE0RAFkRAEsRAP/EABcAAAMBAAAAAAAAAAAAAAAAAAMFCAn/xAAoEAAAAQcNAAAAAAAAAAAAAAAA
        AQIEBQYHsQMIFRcjJDZBRlJUYYL/2gAOBEMATQBZAEsAAD8AHM1ZdX1WSdjsgUWO+jFR3qISKVyrKUezdw02hZk5CX0NUx//2Q==
        """)
    static let cmykAsRGBPixels = bytes("""
        Af8AJeo9S9t4cMUBlLM7C/8dL+paVduVesUenrNYF/85O+p2YtuxhsU6q7N1IP9XROqUatvPj8VYs7OT
        """)

    /// The bytes a base64 text (line breaks ignored) stands for.
    static func bytes(_ base64: String) -> [UInt8] {
        [UInt8](Data(base64Encoded: base64.filter { !$0.isWhitespace })!)
    }
}
