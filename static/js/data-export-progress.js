// Mijn gegevens: follow the export's progress without reloading the page. Without
// JavaScript the "Status vernieuwen" button does the same by hand.
document.querySelectorAll("[data-export-status]").forEach((box) => {
  const text = box.querySelector("[data-export-text]");
  const bar = box.querySelector("[data-export-progress]");
  const poll = async () => {
    let data;
    try {
      const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      data = await response.json();
    } catch (error) {
      return;
    } finally {
      if (!data || data.status === "queued" || data.status === "running") {
        window.setTimeout(poll, 2000);
      }
    }
    if (data.status === "queued" || data.status === "running") {
      bar.value = data.progress;
      bar.textContent = `${data.progress}%`;
      // Only the words change: screen readers hear a new percentage, not every poll.
      if (text.textContent !== data.text) text.textContent = data.text;
    } else {
      window.location.reload();
    }
  };
  window.setTimeout(poll, 2000);
});
