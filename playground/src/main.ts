/** The playground page: three parts, each mounted on its section. */
import { mountActivations } from './activations.js'
import { mountNeuron } from './neuron.js'
import { mountTraining } from './training.js'

mountActivations(document.getElementById('activations')!)
mountNeuron(document.getElementById('neuron')!)
mountTraining(document.getElementById('training')!)
document.body.dataset['ready'] = 'true'
