() => {
  // A click on [n] in an answer opens and shows that answer's source block n.
  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a.cite-ref") : null;
    if (!link) return;
    // The id comes from the href: the chat's sanitizer drops data-* attributes.
    const block = document.getElementById(link.getAttribute("href").slice(1));
    if (!block) return;
    event.preventDefault();
    event.stopPropagation();
    block.open = true;
    block.scrollIntoView({ behavior: "smooth", block: "nearest" });
    block.classList.add("flash");
    setTimeout(() => block.classList.remove("flash"), 1500);
  }, true);
}
