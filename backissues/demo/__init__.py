"""The demo content: back-issue files of our own writing (briefings as text pages, excerpts as a
WordPress export, demo.toml for what neither format carries), with `dates` that move them to
today and `images` drawn for their figures. load_demo_content imports them."""
