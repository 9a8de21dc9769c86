{
  "targets": [
    {
      "target_name": "sched_native",
      "sources": ["src/sched_native.cc"],
      "cflags_cc": ["-O3", "-march=native", "-std=c++17", "-ffp-contract=off", "-fno-math-errno", "-fno-exceptions"],
      "cflags_cc!": ["-fno-rtti"],
      "include_dirs": ["<!@(pkg-config --cflags-only-I openblas | sed 's/-I//g')"],
      "libraries": ["<!@(pkg-config --libs openblas)"]
    }
  ]
}
