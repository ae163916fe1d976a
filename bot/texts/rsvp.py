"""Texts of answers to an event: what a reply counts as, tasks, guests, the waitlist (merged into bot.texts).

French per docs/french-style.md: U+00A0 before « : » and inside « », U+202F before ; ! ?
"""

FR: dict[str, str] = {
    # The post in a group: counts only, never names; the tasks add up to the people coming.
    "rsvp.post_counts": "✅ {yes} {yes:plural:personne vient:personnes viennent} · 🤔 {maybe} peut-être",
    "rsvp.post_tasks": "Tâches : {tasks}",
    "rsvp.post_no_task": "sans tâche {count}",
    "rsvp.how_to_answer": "Répondez avec les boutons ou en répondant à ce message.",
    # Someone coming who offers another task keeps their place.
    "rsvp.second_asked": "Vous avez déjà une place ({held}) pour « {title} » : je vous demande en privé laquelle garder.",
    "rsvp.second_full": "La tâche {offered} est complète pour « {title} » : vous gardez votre place ({held}).",
    "rsvp.second_full_no_task": "La tâche {offered} est complète pour « {title} » : vous venez toujours, sans tâche pour l'instant.",
    "rsvp.second_kept": "Vous gardez votre place ({held}) pour « {title} » : pour {offered}, voyez avec les organisateurs.",
    "rsvp.which_task": (
        "Vous avez déjà une place pour « {title} » : {held}. Une tâche par personne : "
        "voulez-vous la garder, ou passer à {offered} ?"
    ),
    "rsvp.btn_keep": "Garder {task}",
    "rsvp.btn_switch": "Passer à {task}",
    "rsvp.promoted_task": "🎉 Une place s'est libérée : vous avez la tâche {role} pour « {title} », {when}.",
    "rsvp.promoted_plain": "🎉 Une place s'est libérée : vous venez à « {title} », {when}.",
}

EN: dict[str, str] = {
    "rsvp.post_counts": "✅ {yes} coming · 🤔 {maybe} maybe",
    "rsvp.post_tasks": "Tasks: {tasks}",
    "rsvp.post_no_task": "no task {count}",
    "rsvp.how_to_answer": "Answer with the buttons or by replying to this message.",
    "rsvp.second_asked": "You already have a place ({held}) for « {title} »: I am asking you in private which one to keep.",
    "rsvp.second_full": "The task {offered} is full for « {title} »: you keep your place ({held}).",
    "rsvp.second_full_no_task": "The task {offered} is full for « {title} »: you are still coming, without a task for now.",
    "rsvp.second_kept": "You keep your place ({held}) for « {title} »: for {offered}, see the organisers.",
    "rsvp.which_task": (
        "You already have a place for « {title} »: {held}. One task per person: "
        "do you want to keep it, or switch to {offered}?"
    ),
    "rsvp.btn_keep": "Keep {task}",
    "rsvp.btn_switch": "Switch to {task}",
    "rsvp.promoted_task": "🎉 A place freed up: you have the task {role} for « {title} », {when}.",
    "rsvp.promoted_plain": "🎉 A place freed up: you are coming to « {title} », {when}.",
}
