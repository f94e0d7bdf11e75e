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

  // On a phone the past-chats sidebar would cover the whole chat: start it closed, and close it again once a
  // chat is picked or started there.
  const narrow = () => window.innerWidth < 768;
  const closeSidebar = () => {
    const sidebar = document.getElementById("history");
    if (sidebar && sidebar.classList.contains("open")) sidebar.querySelector(".toggle-button")?.click();
    return Boolean(sidebar);
  };
  if (narrow()) {
    let tries = 0;
    const wait = setInterval(() => { if (closeSidebar() || ++tries > 100) clearInterval(wait); }, 50);
  }
  document.addEventListener("click", (event) => {
    if (narrow() && event.target.closest && event.target.closest("#past-chats label, #new-chat")) {
      setTimeout(closeSidebar, 150);
    }
  });
}
