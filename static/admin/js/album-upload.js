// The photos chosen in an album's "Foto's toevoegen" go up when the teacher saves or
// publishes, once. Wagtail's autosave sends the whole form on every change and would upload
// all of them again each time (megabytes over a phone's connection, and the album's rows
// would not show what it stored).
document.addEventListener("w-autosave:save", (event) => {
  const formData = event.detail && event.detail.formData;
  if (formData) {
    formData.delete("new_photos");
  }
});
