"""The Gradio web app: a chat tab with cited answers and a documents tab, over one shared index."""
